#include "message_input.hpp"

#include "exit_codes.hpp"
#include "parse.hpp"
#include "tsign/store/atomic_file.hpp"

namespace tsign::cli {

std::vector<std::string_view> message_option_names() { return {"message", "message-hex", "message-file", "digest"}; }

Result<MessageContent> read_message(const Args& args) {
  int given = 0;
  for (auto name : message_option_names()) given += args.has(name) ? 1 : 0;
  if (given != 1) throw UsageError("give exactly one of --message, --message-hex, --message-file, --digest");
  if (auto text = args.get("message")) return MessageContent(Bytes(text->begin(), text->end()));
  if (auto hex = args.get("message-hex")) {
    TSIGN_TRY(Bytes raw, parse_hex(*hex, "--message-hex"));
    return MessageContent(std::move(raw));
  }
  if (auto file = args.get("message-file")) {
    auto raw = read_file(*file, kMaxMessageBytes);
    if (!raw) return make_error(ErrorKind::InvalidInput, "--message-file: " + raw.error().message);
    return MessageContent(std::move(raw).value());
  }
  TSIGN_TRY(Digest32 digest, parse_hex_array<32>(args.require("digest"), "--digest"));
  return MessageContent(digest);
}

}  // namespace tsign::cli
