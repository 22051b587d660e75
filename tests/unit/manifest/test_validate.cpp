// Each class of bad input gets an exact message at an exact line and column.
#include <wm/manifest/load.hpp>
#include <wm/manifest/resolve.hpp>

#include <catch2/catch.hpp>

#include <string>

using namespace wm::manifest;

namespace {

/// Every problem of `text`, formatted, one per line.
std::string problems_of(const std::string& text) {
    auto result = check_string(text, "widemesh.yaml");
    std::string out;
    for (const auto& p : result.problems) {
        out += p.format() + "\n";
    }
    return out;
}

} // namespace

TEST_CASE("invalid YAML is reported at the parser's position") {
    CHECK(problems_of("app: shop\nstacks: [web\n") ==
          "widemesh.yaml:3:1: invalid YAML: end of sequence flow not found\n");
}

TEST_CASE("tabs in indentation are named as such") {
    CHECK(problems_of("app: shop\nstacks:\n\tweb: {}\n  \tapi: {}\n") ==
          "widemesh.yaml:3:1: invalid YAML: tab in indentation (YAML indents with spaces)\n"
          "widemesh.yaml:4:3: invalid YAML: tab in indentation (YAML indents with spaces)\n");
}

TEST_CASE("more than one YAML document is refused") {
    CHECK(problems_of("app: shop\n---\napp: other\n") ==
          "widemesh.yaml:3:1: expected one YAML document, got 2 (separated by \"---\")\n");
    CHECK(problems_of("app: *nope\n") ==
          "widemesh.yaml:1:6: invalid YAML: the referenced anchor is not defined\n");
}

TEST_CASE("input that stops yaml-cpp from consuming it is refused, not parsed forever") {
    // yaml-cpp 0.7's LoadAll loops forever, growing memory, on a leading ','.
    CHECK(problems_of(",") == "widemesh.yaml:1:1: invalid YAML: unexpected character here\n");
    CHECK(problems_of(", app: shop\n") ==
          "widemesh.yaml:1:1: invalid YAML: unexpected character here\n");
    CHECK(problems_of("\n\n  ,\n") ==
          "widemesh.yaml:3:3: invalid YAML: unexpected character here\n");
    // Found by fuzzing: a first document (a bare tag) that parses, then the stray ','.
    CHECK(problems_of("!DDDD,Y") == "widemesh.yaml:1:6: invalid YAML: unexpected character here\n");
    CHECK(problems_of("!.DD,,,,N4") ==
          "widemesh.yaml:1:5: invalid YAML: unexpected character here\n");
}

TEST_CASE("a manifest over 1 MiB is refused before parsing") {
    std::string big = "app: shop\n# " + std::string(1024 * 1024, 'x') + "\n";
    CHECK(problems_of(big) == "widemesh.yaml:1:1: the file is 1048589 bytes; a manifest may have "
                              "at most 1048576 bytes\n");
}

TEST_CASE("a config value longer than Linux passes to a process is refused, naming the key") {
    std::string fits(131072 - 5, 'x'); // "BIG=" + value + NUL is exactly 131072 bytes
    CHECK(problems_of("app: shop\nstacks:\n  web:\n    config:\n      BIG: " + fits + "\n") == "");
    CHECK(problems_of("app: shop\nstacks:\n  web:\n    config:\n      BIG: " + fits + "y\n") ==
          "widemesh.yaml:5:12: stacks.web.config.BIG: value is 131068 bytes; Linux passes at "
          "most 131067 bytes per variable (NAME=value, MAX_ARG_STRLEN): keep large values in a "
          "file\n");
}

TEST_CASE("strings that reach a rendered file or a remote command are validated") {
    CHECK(problems_of("app: shop\nstacks:\n  web:\n    services:\n      web:\n"
                      "        command: x\n        health: {path: \"/x}\"}\n") ==
          "widemesh.yaml:7:24: stacks.web.services.web.health.path: health check path \"/x}\" "
          "has the character '}' at position 3; a URL path has letters, digits, "
          "\"-._~!$&'()*+,;=:@/\" and %XX escapes\n");
    CHECK(problems_of("app: shop\nracks:\n  eu:\n    servers: [\"-oProxyCommand=x\", "
                      "\"a b@10.0.0.1\"]\n") ==
          "widemesh.yaml:4:15: racks.eu.servers[0]: server address \"-oProxyCommand=x\" must "
          "not start with '-'\n"
          "widemesh.yaml:4:35: racks.eu.servers[1]: user \"a b\" is not a login name (letters, "
          "digits, \"._-\", not starting with '-', at most 32 characters)\n");
}

TEST_CASE("a jump host is checked like a server, on a rack or a server") {
    CHECK(problems_of("app: shop\nracks:\n  eu:\n    jump: \"-oProxyCommand=x\"\n"
                      "    servers:\n      - {address: 10.0.0.5, jump: \"admin@bastion:99999\"}\n"
                      "      - {address: 10.0.0.6, jump: \"admin@bastion:2x\"}\n") ==
          "widemesh.yaml:4:11: racks.eu.jump: server address \"-oProxyCommand=x\" must not start "
          "with '-'\n"
          "widemesh.yaml:6:35: racks.eu.servers[0].jump.port: port 99999 out of range 1-65535\n"
          "widemesh.yaml:7:35: racks.eu.servers[1].jump: invalid port \"2x\" in "
          "\"admin@bastion:2x\"\n");
    auto ok = check_string("app: shop\nracks:\n  eu:\n    jump: admin@bastion:2022\n"
                           "    servers: [10.0.0.5, {address: 10.0.0.6, jump: inner}]\n",
                           "widemesh.yaml");
    REQUIRE(ok.problems.empty());
    CHECK(ok.manifest->find_rack("eu")->jump == "admin@bastion:2022");
    CHECK(ok.manifest->find_rack("eu")->servers[1].jump == "inner");
}

TEST_CASE("an unknown key gets a did-you-mean suggestion") {
    CHECK(problems_of("app: shop\nstacks:\n  web:\n    servces: {}\n") ==
          "widemesh.yaml:4:5: stacks.web.servces: unknown key \"servces\" (did you mean "
          "\"services\"?)\n");
    CHECK(problems_of("app: shop\nflavour: mint\n") ==
          "widemesh.yaml:2:1: flavour: unknown key \"flavour\"\n");
}

TEST_CASE("a wrong type names what was expected and what was found") {
    CHECK(problems_of("app: shop\nstacks:\n  web:\n    buildpacks: {node: 1}\n") ==
          "widemesh.yaml:4:17: stacks.web.buildpacks: expected a list of strings, got a map\n");
    CHECK(problems_of("app: [shop]\n") ==
          "widemesh.yaml:1:6: app: expected a string, got a list\n");
    CHECK(problems_of("app: shop\nstacks:\n  web:\n    services:\n      web: {instances: two}\n") ==
          "widemesh.yaml:5:24: stacks.web.services.web.instances: expected an integer, got "
          "\"two\"\n");
}

TEST_CASE("a missing required key is reported at its parent") {
    CHECK(problems_of("stacks: {}\n") == "widemesh.yaml:1:1: missing required key \"app\"\n");
    CHECK(problems_of("") ==
          "widemesh.yaml:1:1: missing required key \"app\" (the file is empty)\n");
    CHECK(problems_of("app: shop\nracks:\n  eu:\n    region: eu-west\n") ==
          "widemesh.yaml:4:5: racks.eu: missing required key \"servers\" (a static rack needs "
          "at least one)\n");
}

TEST_CASE("names must be DNS labels") {
    CHECK(problems_of("app: shop\nstacks:\n  Web_1: {}\n  -api: {}\n") ==
          "widemesh.yaml:3:3: stacks.Web_1: invalid name: \"Web_1\" may contain only lowercase "
          "letters, digits and dashes\n"
          "widemesh.yaml:4:3: stacks.-api: invalid name: \"-api\" must not start or end with a "
          "dash\n");
    std::string long_name(64, 'a');
    CHECK(problems_of("app: " + long_name + "\n") == "widemesh.yaml:1:6: app: invalid name: \"" +
                                                         long_name +
                                                         "\" is longer than 63 characters\n");
}

TEST_CASE("duplicate names are reported at the second one") {
    CHECK(problems_of("app: shop\nstacks:\n  web: {}\n  web: {}\n") ==
          "widemesh.yaml:4:3: stacks.web: duplicate stack \"web\" (first at line 3)\n");
    CHECK(problems_of("app: shop\nracks:\n  eu:\n    servers: [10.0.0.5, 10.0.0.5]\n") ==
          "widemesh.yaml:4:25: racks.eu.servers[1]: duplicate server \"10.0.0.5\"\n");
}

TEST_CASE("endpoints must route to existing stacks and services") {
    std::string base = "app: shop\nstacks:\n  web:\n    services: {web: node s.js}\n";
    CHECK(problems_of(base + "endpoints:\n  shop.example.com:\n    routes: {/: web.api, /x: "
                             "shop.web}\n") ==
          "widemesh.yaml:7:17: endpoints.shop.example.com.routes./: unknown service of stack "
          "\"web\": \"api\" (known: web)\n"
          "widemesh.yaml:7:30: endpoints.shop.example.com.routes./x: unknown stack \"shop\" "
          "(known: web)\n");
}

TEST_CASE("environments must name declared racks") {
    CHECK(problems_of("app: shop\nenvironments:\n  production:\n    racks: [locl]\n") ==
          "widemesh.yaml:4:13: environments.production.racks[0]: unknown rack \"locl\" (did "
          "you mean \"local\"?)\n");
}

TEST_CASE("cron schedules are checked field by field") {
    auto with = [](const std::string& schedule) {
        return problems_of("app: shop\nstacks:\n  web:\n    services:\n      tick: {schedule: \"" +
                           schedule + "\"}\n");
    };
    CHECK(with("@hourly").empty());
    CHECK(with("@every 2m").empty());
    CHECK(with("*/15 9-17 * jan-jun mon,fri").empty());
    CHECK(with("61 * * * *") == "widemesh.yaml:5:24: stacks.web.services.tick.schedule: invalid "
                                "schedule \"61 * * * *\": minute 61 out of range 0-59\n");
    CHECK(with("@every 2d") == "widemesh.yaml:5:24: stacks.web.services.tick.schedule: invalid "
                               "schedule \"@every 2d\": \"@every 2d\": expected a duration like "
                               "30s, 5m or 2h\n");
    CHECK(with("@often") ==
          "widemesh.yaml:5:24: stacks.web.services.tick.schedule: invalid schedule \"@often\": "
          "unknown macro \"@often\" (use @hourly, @daily, @weekly, @monthly, @yearly or @every "
          "<N><s|m|h>)\n");
    CHECK(with("* * *") == "widemesh.yaml:5:24: stacks.web.services.tick.schedule: invalid "
                           "schedule \"* * *\": expected 5 fields (minute hour day-of-month month "
                           "day-of-week) or @hourly, @daily, @weekly, @monthly, @yearly, @every "
                           "<N><s|m|h>; got 3 fields\n");
    CHECK(with("0 0 * * 1-9/2") == "widemesh.yaml:5:24: stacks.web.services.tick.schedule: "
                                   "invalid schedule \"0 0 * * 1-9/2\": day of week 9 out of "
                                   "range 0-7\n");
}

TEST_CASE("instance counts must not be negative") {
    CHECK(problems_of("app: shop\nstacks:\n  web:\n    services:\n      web: {instances: -1}\n") ==
          "widemesh.yaml:5:24: stacks.web.services.web.instances: instance count -1 is "
          "negative\n");
}

TEST_CASE("memory sizes must parse") {
    CHECK(problems_of("app: shop\nstacks:\n  web:\n    services:\n      web: {memory: 1.5G}\n") ==
          "widemesh.yaml:5:21: stacks.web.services.web.memory: invalid memory size \"1.5G\" "
          "(examples: 512M, 1G, 256Mi, 1073741824)\n");
}

TEST_CASE("every problem of a file is reported at once, in file order") {
    std::string text = "app: shop\n"
                       "stacks:\n"
                       "  web:\n"
                       "    servces: {}\n"
                       "    services:\n"
                       "      web: {instances: -2, memory: lots}\n"
                       "environments:\n"
                       "  production: {racks: [mars]}\n";
    CHECK(problems_of(text) ==
          "widemesh.yaml:4:5: stacks.web.servces: unknown key \"servces\" (did you mean "
          "\"services\"?)\n"
          "widemesh.yaml:6:24: stacks.web.services.web.instances: instance count -2 is "
          "negative\n"
          "widemesh.yaml:6:36: stacks.web.services.web.memory: invalid memory size \"lots\" "
          "(examples: 512M, 1G, 256Mi, 1073741824)\n"
          "widemesh.yaml:8:24: environments.production.racks[0]: unknown rack \"mars\" (known: "
          "local); declare it under racks: or register it with wm rack add\n");
}

TEST_CASE("environments may name racks registered in the state directory") {
    RackSpec registered;
    registered.name = "mars";
    registered.servers.push_back({"10.9.0.1", "root", 22, "", "", ""});
    LoadOptions options{{registered}};
    std::string text = "app: shop\nenvironments:\n  production: {racks: [mars]}\n";
    Manifest m = load_string(text, "widemesh.yaml", options);
    const RackSpec* mars = m.find_rack("mars");
    REQUIRE(mars);
    CHECK(mars->registered);
    CHECK(mars->region == "mars");
    CHECK(mars->servers[0].name == "10.9.0.1");
    CHECK(resolve(m, "production").racks.at(0).rack.name == "mars");
    // A rack the manifest declares wins over a registered one of the same name.
    Manifest m2 =
        load_string("app: shop\nracks:\n  mars: {servers: [10.0.0.1]}\n", "widemesh.yaml", options);
    CHECK_FALSE(m2.find_rack("mars")->registered);
    CHECK(m2.find_rack("mars")->servers[0].address == "10.0.0.1");
}

TEST_CASE("stack values are checked") {
    CHECK(problems_of("app: shop\nstacks:\n  web: {path: ../x, formula: docker}\n  api: {formula: "
                      "dockerfile, buildpacks: [node]}\n") ==
          "widemesh.yaml:3:15: stacks.web.path: path \"../x\" must be relative to the repository "
          "and stay inside it\n"
          "widemesh.yaml:3:30: stacks.web.formula: unknown formula \"docker\" (known: buildpack, "
          "dockerfile)\n"
          "widemesh.yaml:4:42: stacks.api.buildpacks: buildpacks apply to the buildpack formula "
          "only (this stack uses dockerfile)\n");
}

TEST_CASE("providers are local or static, read once into Provider") {
    CHECK(
        problems_of("app: shop\nracks:\n  eu: {provider: aws}\n") ==
        "widemesh.yaml:3:18: racks.eu.provider: unknown provider \"aws\" (known: local, static)\n");
    CHECK(problems_of("app: shop\nracks:\n  local: {provider: static, servers: [10.0.0.1]}\n") ==
          "widemesh.yaml:3:21: racks.local.provider: the rack name \"local\" is reserved for the "
          "local provider\n");
    CHECK(problems_of("app: shop\nracks:\n  edge: {provider: local, servers: [10.0.0.1]}\n") ==
          "widemesh.yaml:3:36: racks.edge.servers: a rack of the local provider has no servers\n");
    Manifest m = load_string("app: shop\nracks:\n  edge: {provider: local}\n", "widemesh.yaml");
    CHECK(m.find_rack("edge")->provider == Provider::local);
    CHECK(to_string(Provider::static_hosts) == "static");
    CHECK(provider_from_string("static") == Provider::static_hosts);
    CHECK_FALSE(provider_from_string("Static"));
}

TEST_CASE("the release command's timeout is a positive number of seconds") {
    CHECK(problems_of("app: shop\nstacks:\n  web:\n    release: ./migrate\n"
                      "    release_timeout: 0\n") ==
          "widemesh.yaml:5:22: stacks.web.release_timeout: release_timeout 0 must be at least 1 "
          "second\n");
    auto m = load_string("app: shop\nstacks:\n  web:\n    release_timeout: 1800\n", "w.yaml");
    CHECK(m.stacks.front().release_timeout_seconds == 1800);
    CHECK(load_string("app: shop\n", "w.yaml").stacks.front().release_timeout_seconds == 600);
}

TEST_CASE("an empty health path is refused: leaving it out is the default rule") {
    std::string head = "app: shop\nstacks:\n  web:\n    services:\n      web:\n"
                       "        command: x\n";
    CHECK(problems_of(head + "        health: {path: \"\"}\n") ==
          "widemesh.yaml:7:24: stacks.web.services.web.health.path: health check path is empty "
          "(leave health.path out for the default: any answer below 500 at \"/\")\n");
    CHECK(problems_of(head + "        health: {timeout: 5}\n") == "");
    auto m = load_string(head + "        health: {timeout: 5}\n", "widemesh.yaml");
    CHECK(m.stacks.at(0).services.at(0).health.path.empty());
    CHECK(m.stacks.at(0).services.at(0).health.worker_uptime() == 4); // below the timeout
}

TEST_CASE("a worker's health.uptime must be below its health.timeout", "[manifest]") {
    std::string head = "app: a\nstacks:\n  web:\n    services:\n      worker:\n"
                       "        command: ./work\n";
    CHECK(problems_of(head + "        health: {uptime: 30}\n") ==
          "widemesh.yaml:7:26: stacks.web.services.worker.health.uptime: uptime 30 must be at "
          "least 1 second and below health.timeout (30)\n");
    CHECK(problems_of(head + "        health: {uptime: 20, timeout: 60}\n") == "");
    auto m = load_string(head + "        health: {uptime: 20, timeout: 60}\n", "widemesh.yaml");
    CHECK(m.stacks.at(0).services.at(0).health.worker_uptime() == 20);
    CHECK(load_string(head, "widemesh.yaml").stacks.at(0).services.at(0).health.worker_uptime() ==
          10);
}

TEST_CASE("singleton: a worker only, one instance", "[manifest]") {
    std::string head = "app: a\nstacks:\n  web:\n    services:\n";
    CHECK(problems_of(head + "      clock:\n        command: ./clock\n        singleton: true\n") ==
          "");
    CHECK(problems_of(head + "      web:\n        command: ./web\n        singleton: true\n") ==
          "widemesh.yaml:7:20: stacks.web.services.web.singleton: web cannot be a singleton (it "
          "serves on every server)\n");
    CHECK(problems_of(head + "      clock:\n        command: ./c\n        instances: 2\n"
                             "        singleton: true\n") ==
          "widemesh.yaml:8:20: stacks.web.services.clock.singleton: a singleton runs one "
          "instance per environment (instances is 2)\n");
    CHECK(problems_of(head + "      clock:\n        command: ./c\n        singleton: yes\n") ==
          "widemesh.yaml:7:20: stacks.web.services.clock.singleton: expected true or false, got "
          "\"yes\"\n");
    auto m = load_string(head + "      clock:\n        command: ./c\n        singleton: True\n",
                         "widemesh.yaml");
    CHECK(m.stacks.at(0).services.at(0).singleton);
}
