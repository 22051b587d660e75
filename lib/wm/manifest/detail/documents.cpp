#include <wm/manifest/detail/documents.hpp>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>

#include <sstream>
#include <string>

namespace wm::manifest::detail {

namespace {

// Remembers where the current document starts; every other event is ignored.
class DocumentStarts : public YAML::EventHandler {
  public:
    YAML::Mark start;

    void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
};

// Where the parser stopped consuming input: a document that begins where the previous one
// began consumed nothing. Every document is read (each one that is not stuck consumes input,
// so there are at most as many as bytes). Throws YAML::Exception on a syntax error.
std::optional<Mark> stuck_at(std::string_view text) {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    DocumentStarts handler;
    int previous = -1;
    while (parser.HandleNextDocument(handler)) {
        if (handler.start.pos == previous) {
            return Mark{handler.start.line + 1, handler.start.column + 1};
        }
        previous = handler.start.pos;
    }
    return std::nullopt;
}

} // namespace

std::optional<std::vector<YAML::Node>> load_documents(std::string_view text, Diagnostics& diag) {
    if (text.size() > max_manifest_bytes) {
        diag.add({1, 1}, "",
                 fmt::format("the file is {} bytes; a manifest may have at most {} bytes",
                             text.size(), max_manifest_bytes));
        return std::nullopt;
    }
    try {
        if (std::optional<Mark> at = stuck_at(text)) {
            diag.add(*at, "", "invalid YAML: unexpected character here");
            return std::nullopt;
        }
        return YAML::LoadAll(std::string(text));
    } catch (const YAML::Exception& e) {
        if (report_tab_indentation(text, diag)) {
            return std::nullopt;
        }
        Mark at = e.mark.is_null() ? Mark{1, 1} : Mark{e.mark.line + 1, e.mark.column + 1};
        diag.add(at, "", "invalid YAML: " + e.msg);
        return std::nullopt;
    }
}

} // namespace wm::manifest::detail
