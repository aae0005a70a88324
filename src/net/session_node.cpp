#include "tsign/net/session_node.hpp"

namespace tsign {

Status run_session(RoundProtocol& protocol, SessionNode& node, const SessionId& session, const EngineOptions& options) {
  TSIGN_TRY(auto view, node.open_session(session));
  return run_session(protocol, *view, session, options);
}

}  // namespace tsign
