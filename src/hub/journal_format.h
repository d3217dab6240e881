// The journal's on-disk bytes: segment header and record framing. Pure functions over buffers;
// all integers little-endian, whatever the host.
//
// Segment file `journal-<first seq, 20 digits>.log`:
//   header, 32 bytes: "VIGILJNL" | version u8 (1) | 3 zero bytes | epoch, 16 bytes NUL-padded |
//                     crc32 of the previous 28 bytes
//   then records, back to back:
//   u32 payload length N | u32 crc32 over (length bytes, then bytes 8..24+N) | u64 seq |
//   i64 t (Unix ms) | N payload bytes (the encoded samples frame, sent as is on replay)
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::hub::journal_format {

inline constexpr char kMagic[8] = {'V', 'I', 'G', 'I', 'L', 'J', 'N', 'L'};
inline constexpr std::uint8_t kVersion = 1;
inline constexpr std::size_t kHeaderBytes = 32;
inline constexpr std::size_t kVersionOffset = 8;
inline constexpr std::size_t kMaxEpochBytes = 16;
inline constexpr std::size_t kRecordHeaderBytes = 24;

std::string encode_header(std::string_view epoch);

enum class HeaderStatus { ok, short_file, bad_magic, bad_version, bad_crc };
struct Header {
    HeaderStatus status = HeaderStatus::short_file;
    std::uint8_t version = 0;
    std::string epoch;
};
Header decode_header(std::string_view bytes);

std::string encode_record(std::uint64_t seq, std::int64_t t_ms, std::string_view payload);

// The fixed part of a record; the crc check needs the payload too (check_record_crc).
struct RecordHeader {
    std::uint32_t length = 0;
    std::uint32_t crc = 0;
    std::uint64_t seq = 0;
    std::int64_t t_ms = 0;
};
RecordHeader decode_record_header(const char* bytes);  // kRecordHeaderBytes readable
bool check_record_crc(const char* header_bytes, std::string_view payload);

// "journal-00000000000000001234.log" <-> 1234
std::string segment_name(std::uint64_t first_seq);
std::optional<std::uint64_t> parse_segment_name(std::string_view name);

}  // namespace vigil::hub::journal_format
