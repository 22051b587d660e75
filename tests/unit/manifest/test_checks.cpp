#include <wm/manifest/checks.hpp>

#include <catch2/catch.hpp>

using namespace wm::manifest;

TEST_CASE("memory sizes") {
    CHECK(parse_memory("1048576") == 1048576u);
    CHECK(parse_memory("512M") == 512u * 1024 * 1024);
    CHECK(parse_memory("256Mi") == 256u * 1024 * 1024);
    CHECK(parse_memory("1G") == 1024u * 1024 * 1024);
    CHECK(parse_memory("1gib") == 1024u * 1024 * 1024);
    CHECK(parse_memory("2MB") == 2000000u);
    CHECK_FALSE(parse_memory("0"));
    CHECK_FALSE(parse_memory("M"));
    CHECK_FALSE(parse_memory("12 M"));
    CHECK_FALSE(parse_memory("1.5G"));
    CHECK_FALSE(parse_memory("99999999999T"));
}

TEST_CASE("DNS labels and domains") {
    CHECK(dns_label_problem("web-2") == "");
    CHECK(dns_label_problem("") == "must not be empty");
    CHECK(dns_label_problem("web-") == "\"web-\" must not start or end with a dash");
    CHECK(domain_problem("shop.example.com") == "");
    CHECK(domain_problem("shop..com") == "\"shop..com\" is not a valid domain name (lowercase "
                                         "DNS labels separated by dots)");
}

TEST_CASE("cron schedules") {
    CHECK(schedule_problem("@daily") == "");
    CHECK(schedule_problem("@every 30s") == "");
    CHECK(schedule_problem("5 4 * * sun") == "");
    CHECK(schedule_problem("0 0 1,15 * *") == "");
    CHECK(schedule_problem("0 0 31-1 * *") == "day of month range 31-1 is backwards");
    CHECK(schedule_problem("*/0 * * * *") == "minute step \"0\" is not a positive number");
    CHECK(schedule_problem("0 24 * * *") == "hour 24 out of range 0-23");
    CHECK(schedule_problem("0 0 * foo *") == "month \"foo\" is not a number");
    CHECK(schedule_problem("@every 0m") == "\"@every\" needs a positive duration");
}

TEST_CASE("suggestions pick the closest candidate within reach") {
    CHECK(suggest("servces", {"services", "path", "config"}) == "services");
    CHECK(suggest("zzz", {"services", "path"}) == "");
    CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("URL paths: RFC 3986 path characters only, '*' only at the end of a route") {
    CHECK(url_path_problem("/health", false) == "");
    CHECK(url_path_problem("/a-b_c.d~e/%2Fx;v=1@:", false) == "");
    CHECK(url_path_problem("/api/*", true) == "");
    CHECK(url_path_problem("/api/*", false) ==
          "path \"/api/*\": '*' is allowed only at the end of a route path");
    CHECK(url_path_problem("health", false) == "path \"health\" must start with \"/\"");
    CHECK(url_path_problem("/x}", false) ==
          "path \"/x}\" has the character '}' at position 3; a URL path has letters, digits, "
          "\"-._~!$&'()*+,;=:@/\" and %XX escapes");
    CHECK(url_path_problem("/a b", false) != "");
    CHECK(url_path_problem("/a\"b", false) != "");
    CHECK(url_path_problem("/a#b", false) != "");
    CHECK(url_path_problem("/a{$HOME}", false) != "");
    CHECK(url_path_problem("/%zz", false) != "");
}

TEST_CASE("server addresses and login names that reach ssh's command line") {
    CHECK(server_address_problem("10.0.0.5") == "");
    CHECK(server_address_problem("fe80::1") == "");
    CHECK(server_address_problem("web-1.example.com") == "");
    CHECK(server_address_problem("tb_one") == "");
    CHECK(server_address_problem("-oProxyCommand=x") ==
          "server address \"-oProxyCommand=x\" must not start with '-'");
    CHECK(server_address_problem("a;b") == "server address \"a;b\" has the character ';'; a host "
                                           "name or IP address has letters, digits and \"._-:\"");
    CHECK(login_name_problem("deploy") == "");
    CHECK(login_name_problem("admin.user-1") == "");
    CHECK(login_name_problem("-x") == "user \"-x\" is not a login name (letters, digits, \"._-\", "
                                      "not starting with '-', at most 32 characters)");
    CHECK(login_name_problem("a b") != "");
}
