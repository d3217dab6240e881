// i18n: every word the screen shows exists in English and Simplified Chinese.
#include <doctest/doctest.h>

#include "model/format.h"
#include "model/i18n.h"

#include <cstring>
#include <set>
#include <string>

using vigil::model::fill;
using vigil::model::kTextCount;
using vigil::model::Lang;
using vigil::model::lang_code;
using vigil::model::lang_from_code;
using vigil::model::metric_text;
using vigil::model::TextId;
using vigil::model::tr;

namespace {
int placeholders(const char* s) {
    int n = 0;
    for (const char* p = std::strstr(s, "{}"); p; p = std::strstr(p + 2, "{}")) ++n;
    return n;
}
}  // namespace

TEST_CASE("every text exists in both languages, with the same number placeholders") {
    std::set<std::string> zh_texts;
    for (int i = 0; i < kTextCount; ++i) {
        const auto id = static_cast<TextId>(i);
        const char* en = tr(Lang::en, id);
        const char* zh = tr(Lang::zh_CN, id);
        INFO("text " << i << ": " << en);
        REQUIRE(en != nullptr);
        REQUIRE(zh != nullptr);
        CHECK(std::strlen(en) > 0);
        CHECK(std::strlen(zh) > 0);
        CHECK(placeholders(en) <= 1);
        CHECK(placeholders(en) == placeholders(zh));
        zh_texts.insert(zh);
    }
    CHECK(zh_texts.size() == static_cast<std::size_t>(kTextCount));  // no copy-paste duplicates
    CHECK(std::strcmp(tr(Lang::en, TextId::count_), "?") == 0);
}

TEST_CASE("banner words in both languages") {
    CHECK(std::string(tr(Lang::en, TextId::live)) == "LIVE");
    CHECK(std::string(tr(Lang::en, TextId::unauthorized)) == "UNAUTHORIZED");
    CHECK(std::string(tr(Lang::zh_CN, TextId::live)) == "实时");
    CHECK(std::string(tr(Lang::zh_CN, TextId::stale)) == "数据陈旧");
    CHECK(std::string(tr(Lang::zh_CN, TextId::reconnecting)) == "重连中");
    CHECK(std::string(tr(Lang::zh_CN, TextId::maintenance)) == "维护中");
    CHECK(std::string(tr(Lang::zh_CN, TextId::offline)) == "离线");
    CHECK(std::string(tr(Lang::zh_CN, TextId::unauthorized)) == "未授权");
    CHECK(std::string(tr(Lang::zh_CN, TextId::connecting)) == "连接中");
}

TEST_CASE("phrases put the number where each language wants it") {
    using namespace vigil::model;
    CHECK(format_retry_in(2'100, Lang::en) == "retry in 3 s");
    CHECK(format_retry_in(2'100, Lang::zh_CN) == "3 秒后重试");
    CHECK(format_attempt(4, Lang::en) == "attempt 4");
    CHECK(format_attempt(4, Lang::zh_CN) == "第 4 次尝试");
    CHECK(format_page(1, 5, Lang::en) == "page 2 / 5");
    CHECK(format_page(1, 5, Lang::zh_CN) == "第 2 / 5 页");
    CHECK(format_in(3'000, Lang::en) == "in 3 s");
    CHECK(format_in(3'000, Lang::zh_CN) == "3 秒后");
    CHECK(format_last_update(200'000, Lang::zh_CN) == "最后更新于 3 分 20 秒前");
    CHECK(fill(tr(Lang::en, TextId::since_clock), "14:03:07") == "since 14:03:07");
    CHECK(fill(tr(Lang::zh_CN, TextId::since_clock), "14:03:07") == "自 14:03:07 起");
}

TEST_CASE("fill replaces the first placeholder and leaves a pattern without one alone") {
    CHECK(fill("retry in {}", "3 s") == "retry in 3 s");
    CHECK(fill("{}后重试", "3 秒") == "3 秒后重试");
    CHECK(fill("no data", "x") == "no data");
    CHECK(fill("{} {}", "a") == "a {}");
}

TEST_CASE("language codes are the config's spellings and round-trip") {
    CHECK(lang_from_code("en") == Lang::en);
    CHECK(lang_from_code("zh-CN") == Lang::zh_CN);
    CHECK_FALSE(lang_from_code("zh").has_value());
    CHECK_FALSE(lang_from_code("").has_value());
    CHECK(lang_from_code(lang_code(Lang::zh_CN)) == Lang::zh_CN);
    CHECK(lang_from_code(lang_code(Lang::en)) == Lang::en);
}

TEST_CASE("the reference hub's metric keys have labels in both languages; others keep the catalog's") {
    CHECK(metric_text("cpu") == TextId::metric_cpu);
    CHECK(metric_text("mem") == TextId::metric_memory);
    CHECK(metric_text("load1") == TextId::metric_load);
    CHECK(metric_text("load5") == TextId::metric_load5);
    CHECK(metric_text("load15") == TextId::metric_load15);
    CHECK(metric_text("net_rx") == TextId::metric_network_in);
    CHECK(metric_text("net_tx") == TextId::metric_network_out);
    CHECK(metric_text("disk_r") == TextId::metric_disk_read);
    CHECK(metric_text("disk_w") == TextId::metric_disk_write);
    CHECK(metric_text("temp") == TextId::metric_temperature);
    CHECK_FALSE(metric_text("gpu_fan").has_value());
    CHECK(std::string(tr(Lang::zh_CN, TextId::metric_memory)) == "内存");
}
