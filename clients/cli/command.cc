#include "clients/cli/command.h"

#include <utility>

#include "CLI/CLI.hpp"

namespace careers::cli {

void CommandSelection::Register(CLI::App& cmd, CommandBody body,
                                bool uses_server) {
  cmd.callback([this, body = std::move(body), uses_server] {
    selected_ = body;
    uses_server_ = uses_server;
  });
}

}  // namespace careers::cli
