#include "clients/cli/command.h"

#include <utility>

#include "CLI/CLI.hpp"

namespace careers::cli {

void CommandSelection::Register(CLI::App& cmd, CommandBody body) {
  cmd.callback([this, body = std::move(body)] { selected_ = body; });
}

}  // namespace careers::cli
