// `careersctl changes list|watch`: the change feed of ChangeService, for
// syncing (list from a token) and for following what commits (watch).
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "careers/v1/change_service.grpc.pb.h"
#include "clients/cli/command.h"
#include "clients/cli/errors.h"
#include "clients/cli/output.h"
#include "clients/cli/rpc.h"
#include "clients/cli/standard_commands.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/sync_stream.h"

namespace careers::cli {
namespace {

using Stub = v1::ChangeService::StubInterface;

void AddSinceOption(CLI::App& cmd, std::string& token,
                    const std::string& without) {
  cmd.add_option("--since", token,
                 "Continue after this token (a change's change_token or a "
                 "listing's next sync token); without it, " +
                     without)
      ->type_name("TOKEN");
}

void AddTypeOption(CLI::App& cmd, std::vector<std::string>& types) {
  cmd.add_option("--type", types,
                 "Only changes of this resource type, e.g. Appointment or "
                 "careers.uk/Appointment (repeatable; default all)")
      ->type_name("TYPE")
      ->allow_extra_args(false);
}

// `changes list [--since T] [--type T]... [--page-size N] [--all]`. With
// --all, calls again from next_sync_token while the server says `more`, and
// prints one response holding every change and the last token.
void AddChangesListCommand(CLI::App& group, CommandSelection& selection) {
  struct State {
    v1::ListChangesRequest request;
    std::vector<std::string> types;
    int page_size = 0;
    bool all = false;
  };
  auto state = std::make_shared<State>();
  CLI::App& cmd = AddCommand(
      group, "list",
      "List the changes you may see after a sync token, oldest first, and "
      "the token to continue from");
  AddSinceOption(cmd, *state->request.mutable_sync_token(),
                 "no changes and the current token (take it before you fetch "
                 "the resources)");
  AddTypeOption(cmd, state->types);
  cmd.add_option("--page-size", state->page_size,
                 "Changes per call (server default 100, at most 1000)")
      ->check(CLI::Range(1, 1000000).description(""))
      ->type_name("N");
  cmd.add_flag("--all", state->all,
               "Call again while more changes are waiting and print them as "
               "one");
  selection.Register(cmd, [state](CommandEnv& env) {
    v1::ListChangesRequest& request = state->request;
    request.clear_resource_types();
    for (const std::string& type : state->types) {
      request.add_resource_types(type);
    }
    request.set_page_size(state->page_size);
    v1::ListChangesResponse combined;
    while (true) {
      v1::ListChangesResponse page;
      const grpc::Status status = Call(env, &Stub::ListChanges, request,
                                       Retry::kOnUnavailable, page);
      if (!status.ok()) {
        PrintRpcError(status, env.err);
        return kExitRpcFailed;
      }
      if (!state->all) {
        PrintList(page, env.output, env.out);
        return kExitOk;
      }
      for (v1::Change& change : *page.mutable_changes()) {
        *combined.add_changes() = std::move(change);
      }
      combined.set_next_sync_token(page.next_sync_token());
      // An empty sync_token only takes the current token: nothing follows.
      if (!page.more() || request.sync_token().empty()) break;
      request.set_sync_token(page.next_sync_token());
    }
    PrintList(combined, env.output, env.out);
    return kExitOk;
  });
}

// `changes watch [--since T] [--type T]...`: one JSON line per change on
// stdout, flushed as it comes, until the stream ends or the command is
// interrupted. Heartbeats print nothing. The stream has no deadline
// (--timeout is for single calls) and is not retried: a failure is
// printed, with the token to resume from, and exits 1.
void AddChangesWatchCommand(CLI::App& group, CommandSelection& selection) {
  struct State {
    v1::WatchChangesRequest request;
    std::vector<std::string> types;
  };
  auto state = std::make_shared<State>();
  CLI::App& cmd = AddCommand(
      group, "watch",
      "Print the changes you may see as they commit, one protobuf JSON "
      "line each, until interrupted");
  AddSinceOption(cmd, *state->request.mutable_change_token(),
                 "from now");
  AddTypeOption(cmd, state->types);
  selection.Register(cmd, [state](CommandEnv& env) {
    v1::WatchChangesRequest& request = state->request;
    request.clear_resource_types();
    for (const std::string& type : state->types) {
      request.add_resource_types(type);
    }
    grpc::ClientContext context;
    PrepareStreamContext(env.call, context);
    std::unique_ptr<grpc::ClientReaderInterface<v1::WatchChangesResponse>>
        reader = ServiceStub<Stub>(env).WatchChanges(&context, request);
    // Where a new watch would continue: every message carries it. Only
    // the server's word counts (a --since it refused is no place to resume).
    std::string resume;
    v1::WatchChangesResponse message;
    while (reader->Read(&message)) {
      for (const v1::Change& change : message.changes()) {
        PrintJsonLine(change, env.out);
        // A script reading the pipe sees each change as it arrives.
        env.out.flush();
      }
      if (!message.change_token().empty()) resume = message.change_token();
    }
    const grpc::Status status = reader->Finish();
    if (!status.ok()) {
      PrintRpcError(status, env.err);
      if (!resume.empty()) env.err << "resume with: --since " << resume << "\n";
      return kExitRpcFailed;
    }
    return kExitOk;
  });
}

}  // namespace

void AddChangeCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group = *root.add_subcommand(
      "changes", "The change feed: what changed, for syncing and watching");
  group.require_subcommand(1);
  AddChangesListCommand(group, selection);
  AddChangesWatchCommand(group, selection);
}

}  // namespace careers::cli
