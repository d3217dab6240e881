// The text table (see the header). Chinese wording follows common monitoring-console usage.
#include "model/i18n.h"

namespace vigil::model {

namespace {

struct Text {
    TextId id;
    const char* en;
    const char* zh;
};

// In TextId order; a unit test checks every id is here, once, in both languages.
constexpr Text kTexts[] = {
    {TextId::live, "LIVE", "实时"},
    {TextId::stale, "STALE", "数据陈旧"},
    {TextId::reconnecting, "RECONNECTING", "重连中"},
    {TextId::maintenance, "MAINTENANCE", "维护中"},
    {TextId::offline, "OFFLINE", "离线"},
    {TextId::unauthorized, "UNAUTHORIZED", "未授权"},
    {TextId::connecting, "CONNECTING", "连接中"},
    {TextId::attempt_n, "attempt {}", "第 {} 次尝试"},
    {TextId::retry_in, "retry in {}", "{}后重试"},
    {TextId::last_update_ago, "last update {} ago", "最后更新于 {}前"},
    {TextId::page_n, "page {}", "第 {} 页"},
    {TextId::in_duration, "in {}", "{}后"},
    {TextId::since_clock, "since {}", "自 {} 起"},
    {TextId::alarms, "alarms", "告警"},
    {TextId::hosts, "hosts", "主机"},
    {TextId::no_data, "no data", "无数据"},
    {TextId::never_reported, "never reported", "从未上报"},
    {TextId::loading, "Loading…", "加载中…"},
    {TextId::waiting_for_data, "Waiting for data…", "等待数据…"},
    {TextId::connecting_to_hub, "Connecting to the hub…", "正在连接数据中心…"},
    {TextId::level_ok, "OK", "正常"},
    {TextId::level_warn, "WARN", "警告"},
    {TextId::level_crit, "CRIT", "严重"},
    {TextId::metric_cpu, "CPU", "CPU"},
    {TextId::metric_memory, "Memory", "内存"},
    {TextId::metric_disk, "Disk", "磁盘"},
    {TextId::metric_network, "Network", "网络"},
    {TextId::metric_load, "Load", "负载"},
    {TextId::metric_load5, "Load 5m", "5分钟负载"},
    {TextId::metric_load15, "Load 15m", "15分钟负载"},
    {TextId::metric_temperature, "Temperature", "温度"},
    {TextId::metric_network_in, "Net in", "网络接收"},
    {TextId::metric_network_out, "Net out", "网络发送"},
    {TextId::metric_disk_read, "Disk read", "磁盘读取"},
    {TextId::metric_disk_write, "Disk write", "磁盘写入"},
    {TextId::unit_seconds, "s", "秒"},
    {TextId::unit_minutes, "min", "分"},
    {TextId::unit_hours, "h", "小时"},
    {TextId::just_now, "now", "刚刚"},
    {TextId::focus_pinned, "PINNED", "已固定"},
    {TextId::catching_up, "CATCHING UP", "补传中"},
    {TextId::waiting, "WAITING", "等待数据"},
    {TextId::frames_of, "{} frames", "{} 帧"},
    {TextId::hosts_not_shown, "{} hosts not shown (limit reached)", "{} 台主机未显示（已达上限）"},
    {TextId::metrics_not_shown, "{} metrics not shown (limit reached)", "{} 项指标未显示（已达上限）"},
    {TextId::unknown_hosts, "samples for {} hosts not in the catalog ignored", "已忽略 {} 台不在目录中的主机的数据"},
    {TextId::host_down, "DOWN", "不可达"},
    {TextId::unreachable, "UNREACHABLE: {}", "无法连接：{}"},
    {TextId::hosts_down, "{} down", "{} 台不可达"},
    {TextId::all_hosts, "All hosts", "全部主机"},
    {TextId::no_label, "no {}", "无 {}"},
    {TextId::clock_slow, "this PC's clock is {} slow (hub time shown)", "本机时钟慢 {}（显示服务器时间）"},
    {TextId::clock_fast, "this PC's clock is {} fast (hub time shown)", "本机时钟快 {}（显示服务器时间）"},
    {TextId::alarms_not_shown, "{} alarms not shown (board full: the most severe are kept)", "{} 条告警未显示（告警板已满，保留最严重的）"},
    {TextId::more_notices, "+{} more", "另有 {} 条"},
};
static_assert(sizeof kTexts / sizeof kTexts[0] == kTextCount, "one entry per TextId");

}  // namespace

const char* tr(Lang lang, TextId id) {
    const int i = static_cast<int>(id);
    if (i < 0 || i >= kTextCount) return "?";
    const Text& t = kTexts[i];
    return lang == Lang::zh_CN ? t.zh : t.en;
}

std::string fill(std::string_view pattern, std::string_view arg) {
    const auto at = pattern.find("{}");
    std::string out(pattern.substr(0, at));
    if (at == std::string_view::npos) return out;
    out += arg;
    out += pattern.substr(at + 2);
    return out;
}

std::optional<Lang> lang_from_code(std::string_view code) {
    if (code == "en") return Lang::en;
    if (code == "zh-CN") return Lang::zh_CN;
    return std::nullopt;
}

const char* lang_code(Lang lang) { return lang == Lang::zh_CN ? "zh-CN" : "en"; }

std::optional<TextId> metric_text(std::string_view key) {
    if (key == "cpu") return TextId::metric_cpu;
    if (key == "mem" || key == "memory") return TextId::metric_memory;
    if (key == "disk") return TextId::metric_disk;
    if (key == "net" || key == "network") return TextId::metric_network;
    if (key == "load" || key == "load1") return TextId::metric_load;
    if (key == "load5") return TextId::metric_load5;
    if (key == "load15") return TextId::metric_load15;
    if (key == "temp" || key == "temperature") return TextId::metric_temperature;
    if (key == "net_rx" || key == "net_in") return TextId::metric_network_in;
    if (key == "net_tx" || key == "net_out") return TextId::metric_network_out;
    if (key == "disk_r" || key == "disk_read") return TextId::metric_disk_read;
    if (key == "disk_w" || key == "disk_write") return TextId::metric_disk_write;
    return std::nullopt;
}

}  // namespace vigil::model
