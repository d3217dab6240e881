// Byte-level encoding of journal segments and records.
#include "hub/journal_format.h"

#include <algorithm>
#include <cstring>

#include "hub/journal_crc32.h"

namespace vigil::hub::journal_format {

namespace {

void put_u32(char* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xFFu);
}
void put_u64(char* p, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xFFu);
}
std::uint32_t get_u32(const char* p) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
    return v;
}
std::uint64_t get_u64(const char* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
    return v;
}

std::uint32_t record_crc(const char* header_bytes, std::string_view payload) {
    std::uint32_t crc = crc32_update(0, header_bytes, 4);             // length
    crc = crc32_update(crc, header_bytes + 8, kRecordHeaderBytes - 8);  // seq, t
    return crc32_update(crc, payload.data(), payload.size());
}

constexpr std::string_view kPrefix = "journal-";
constexpr std::string_view kSuffix = ".log";
constexpr std::size_t kSeqDigits = 20;

}  // namespace

std::string encode_header(std::string_view epoch) {
    std::string h(kHeaderBytes, '\0');
    std::memcpy(h.data(), kMagic, sizeof kMagic);
    h[kVersionOffset] = static_cast<char>(kVersion);
    std::memcpy(h.data() + 12, epoch.data(), std::min(epoch.size(), kMaxEpochBytes));
    put_u32(h.data() + 28, crc32(h.data(), 28));
    return h;
}

Header decode_header(std::string_view bytes) {
    Header h;
    if (bytes.size() < kHeaderBytes) return h;
    if (std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
        h.status = HeaderStatus::bad_magic;
        return h;
    }
    h.version = static_cast<std::uint8_t>(bytes[kVersionOffset]);
    if (h.version != kVersion) {
        // Checked before the crc: a journal from another format version is "incompatible",
        // not "corrupt", whatever else its header holds.
        h.status = HeaderStatus::bad_version;
        return h;
    }
    if (get_u32(bytes.data() + 28) != crc32(bytes.data(), 28)) {
        h.status = HeaderStatus::bad_crc;
        return h;
    }
    const char* e = bytes.data() + 12;
    h.epoch.assign(e, strnlen(e, kMaxEpochBytes));
    h.status = HeaderStatus::ok;
    return h;
}

std::string encode_record(std::uint64_t seq, std::int64_t t_ms, std::string_view payload) {
    std::string r(kRecordHeaderBytes + payload.size(), '\0');
    put_u32(r.data(), static_cast<std::uint32_t>(payload.size()));
    put_u64(r.data() + 8, seq);
    put_u64(r.data() + 16, static_cast<std::uint64_t>(t_ms));
    std::memcpy(r.data() + kRecordHeaderBytes, payload.data(), payload.size());
    put_u32(r.data() + 4, record_crc(r.data(), payload));
    return r;
}

RecordHeader decode_record_header(const char* bytes) {
    RecordHeader h;
    h.length = get_u32(bytes);
    h.crc = get_u32(bytes + 4);
    h.seq = get_u64(bytes + 8);
    h.t_ms = static_cast<std::int64_t>(get_u64(bytes + 16));
    return h;
}

bool check_record_crc(const char* header_bytes, std::string_view payload) {
    return get_u32(header_bytes + 4) == record_crc(header_bytes, payload);
}

std::string segment_name(std::uint64_t first_seq) {
    std::string digits = std::to_string(first_seq);
    return std::string(kPrefix) + std::string(kSeqDigits - std::min(kSeqDigits, digits.size()), '0') +
           digits + std::string(kSuffix);
}

std::optional<std::uint64_t> parse_segment_name(std::string_view name) {
    if (name.size() != kPrefix.size() + kSeqDigits + kSuffix.size()) return std::nullopt;
    if (name.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
    if (name.substr(name.size() - kSuffix.size()) != kSuffix) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : name.substr(kPrefix.size(), kSeqDigits)) {
        if (c < '0' || c > '9') return std::nullopt;
        const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
        if (v > (UINT64_MAX - d) / 10) return std::nullopt;
        v = v * 10 + d;
    }
    return v;
}

}  // namespace vigil::hub::journal_format
