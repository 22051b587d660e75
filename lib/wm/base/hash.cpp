// sha256 through OpenSSL's EVP interface (the only file that includes OpenSSL).
#include <wm/base/error.hpp>
#include <wm/base/fs.hpp>
#include <wm/base/hash.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fstream>
#include <memory>
#include <vector>

namespace wm::fs {

namespace {

using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

MdCtx new_sha256() {
    MdCtx ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
        fail("initialising sha256");
    }
    return ctx;
}

std::string to_hex(const unsigned char* md, unsigned int len) {
    std::string hex;
    for (unsigned i = 0; i < len; ++i) {
        hex += fmt::format("{:02x}", md[i]);
    }
    return hex;
}

std::string finish_hex(EVP_MD_CTX* ctx) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    return to_hex(md, len);
}

} // namespace

std::string sha256_hex(std::string_view data) {
    MdCtx ctx = new_sha256();
    EVP_DigestUpdate(ctx.get(), data.data(), data.size());
    return finish_hex(ctx.get());
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(data.data()), data.size(), md,
             &len) == nullptr) {
        fail("computing an HMAC-SHA256");
    }
    return to_hex(md, len);
}

std::string sha256_file(const stdfs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        fail("reading {} for its sha256", path.string());
    }
    MdCtx ctx = new_sha256();
    std::vector<char> buf(1 << 20);
    while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
        EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<size_t>(in.gcount()));
    }
    return finish_hex(ctx.get());
}

} // namespace wm::fs
