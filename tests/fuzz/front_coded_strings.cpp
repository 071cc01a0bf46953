// Fuzz target: the front-coded string tables of term dictionaries and id tables, read from damaged
// bytes. Opening checks the header and block heads; verify() must catch everything else before
// any lookup relies on it.
#include "tandem/index/front_coded_strings.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "tandem/core/error.hpp"
#include "tandem/io/byte_view.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Copy into 8-byte aligned storage, as a mapped file payload would be.
  std::vector<std::uint64_t> storage(size / 8 + 1);
  std::memcpy(storage.data(), data, size);
  const tandem::io::ByteView view({reinterpret_cast<const std::byte*>(storage.data()), size},
                                  "fuzz");
  try {
    const tandem::index::FrontCodedStrings table(view, 0);
    table.verify("fuzz");
    std::string scratch;
    std::uint64_t values[tandem::index::FrontCodedStrings::kMaxValues];
    for (std::uint64_t i = 0; i < table.size() && i < 64; ++i) {
      const std::string s(table.get(i, scratch, values));
      const auto found = table.find(s, scratch, values);
      if (!found || *found != i) __builtin_trap();  // verified tables are sorted and unique
    }
  } catch (const tandem::Error&) {
  }
  return 0;
}
