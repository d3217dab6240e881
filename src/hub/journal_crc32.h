// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) for journal records: the same value
// zlib's crc32() and Python's zlib.crc32 give, so a record can be checked with any tool.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vigil::hub {

// Continues `crc` (0 to start) over `size` bytes at `data`.
std::uint32_t crc32_update(std::uint32_t crc, const void* data, std::size_t size);

inline std::uint32_t crc32(const void* data, std::size_t size) { return crc32_update(0, data, size); }

}  // namespace vigil::hub
