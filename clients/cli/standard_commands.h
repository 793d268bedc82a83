#ifndef CAREERS_CLIENTS_CLI_STANDARD_COMMANDS_H_
#define CAREERS_CLIENTS_CLI_STANDARD_COMMANDS_H_

#include <memory>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "clients/cli/command.h"
#include "clients/cli/errors.h"
#include "clients/cli/output.h"
#include "clients/cli/resource_flags.h"
#include "clients/cli/rpc.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

// The AIP standard and custom methods as careersctl commands, written once
// for every resource: create, get, list, update and state changes. The
// resource files (profiles_commands.cc, plan_commands.cc,
// directory_commands.cc) only supply tables of flags and the RPCs.
namespace careers::cli {

// A unary method of a service's stub, e.g.
// &ProfileService::StubInterface::GetProfile.
template <typename Stub, typename Request, typename Response>
using Rpc = grpc::Status (Stub::*)(grpc::ClientContext*, const Request&,
                                   Response*);

// A command just added, for the caller to add resource-specific options to.
template <typename Request>
struct AddedCommand {
  CLI::App& cmd;
  Request& request;  // written by the parser; lives as long as `cmd`
};

// Helpers the templates below share; in standard_commands.cc.

// Adds subcommand `name` to `group`.
CLI::App& AddCommand(CLI::App& group, const std::string& name,
                     const std::string& description);
// Adds the required positional NAME of a `resource`.
void AddNameArgument(CLI::App& cmd,
                     const google::protobuf::Descriptor& resource,
                     std::string& name);
// Adds the required positional PARENT (`profiles/{profile}`).
void AddParentArgument(CLI::App& cmd, std::string& parent);
void AddEtagOption(CLI::App& cmd, std::string& etag);
void AddRequestIdOption(CLI::App& cmd, std::string& request_id);
void AddJsonOption(CLI::App& cmd, const google::protobuf::Descriptor& resource,
                   std::string& path);
void AddPagingOptions(CLI::App& cmd, int& page_size, std::string& page_token,
                      bool& all);
// Adds --update-mask a,b (repeatable).
void AddUpdateMaskOption(CLI::App& cmd, std::vector<std::string>& paths);
// `first` then the paths of `second` not already in it.
std::vector<std::string> MergePaths(std::vector<std::string> first,
                                    const std::vector<std::string>& second);
// "profile" for careers.v1.Profile, "guardian link" for GuardianLink.
std::string Singular(const google::protobuf::Descriptor& resource);
// "a profile", "an action".
std::string WithArticle(const std::string& noun);
// Reads --json (when `json_path` is set) into `resource`, then sets the given
// field flags over it. On a bad --json prints the problem and returns false.
bool BuildResource(const std::string& json_path, const FieldFlags& fields,
                   google::protobuf::Message& resource, std::ostream& err);
// Prints `error: message` for a mistake found after parsing; returns 2.
int UsageError(const std::string& message, std::ostream& err);

// Whether list request `Request` has an AIP-160 `filter` field.
template <typename Request, typename = void>
struct HasFilter : std::false_type {};
template <typename Request>
struct HasFilter<
    Request,
    std::void_t<decltype(std::declval<Request&>().set_filter(std::string()))>>
    : std::true_type {};

// Calls `rpc` on its service's stub, retrying as `retry` says.
template <typename Stub, typename Request, typename Response>
grpc::Status Call(CommandEnv& env, Rpc<Stub, Request, Response> rpc,
                  const Request& request, Retry retry, Response& response) {
  Stub& stub = ServiceStub<Stub>(env);
  return CallWithRetry(env.call, retry, [&](grpc::ClientContext& context) {
    response.Clear();
    return (stub.*rpc)(&context, request, &response);
  });
}

// Calls `rpc` and prints the resource it returns, or the error.
template <typename Stub, typename Request, typename Resource>
int CallAndPrint(CommandEnv& env, Rpc<Stub, Request, Resource> rpc,
                 const Request& request, Retry retry) {
  Resource resource;
  const grpc::Status status = Call(env, rpc, request, retry, resource);
  if (!status.ok()) {
    PrintRpcError(status, env.err);
    return kExitRpcFailed;
  }
  PrintResource(resource, env.output, env.out);
  return kExitOk;
}

// `create [--json FILE] [field flags] [--request-id ID]`. Without
// --request-id a random UUID is sent, so retrying on UNAVAILABLE is safe.
template <typename Stub, typename Request, typename Resource>
AddedCommand<Request> AddCreateCommand(
    CLI::App& group, CommandSelection& selection,
    std::vector<FieldFlagSpec> field_specs, Rpc<Stub, Request, Resource> rpc,
    Resource* (Request::*mutable_resource)()) {
  struct State {
    explicit State(std::vector<FieldFlagSpec> specs)
        : fields(*Resource::descriptor(), std::move(specs)) {}
    Request request;
    FieldFlags fields;
    std::string json_path;
  };
  const google::protobuf::Descriptor& descriptor = *Resource::descriptor();
  auto state = std::make_shared<State>(std::move(field_specs));
  CLI::App& cmd = AddCommand(group, "create",
                             "Create " + WithArticle(Singular(descriptor)));
  AddJsonOption(cmd, descriptor, state->json_path);
  state->fields.AddTo(cmd);
  AddRequestIdOption(cmd, *state->request.mutable_request_id());
  selection.Register(cmd, [state, rpc, mutable_resource](CommandEnv& env) {
    Request& request = state->request;
    if (!BuildResource(state->json_path, state->fields,
                       *(request.*mutable_resource)(), env.err)) {
      return kExitUsage;
    }
    if (request.request_id().empty()) request.set_request_id(NewRequestId());
    return CallAndPrint(env, rpc, request, Retry::kOnUnavailable);
  });
  return {cmd, state->request};
}

// `get NAME`.
template <typename Stub, typename Request, typename Resource>
void AddGetCommand(CLI::App& group, CommandSelection& selection,
                   Rpc<Stub, Request, Resource> rpc) {
  const google::protobuf::Descriptor& descriptor = *Resource::descriptor();
  auto request = std::make_shared<Request>();
  CLI::App& cmd =
      AddCommand(group, "get", "Get " + WithArticle(Singular(descriptor)));
  AddNameArgument(cmd, descriptor, *request->mutable_name());
  selection.Register(cmd, [request, rpc](CommandEnv& env) {
    return CallAndPrint(env, rpc, *request, Retry::kOnUnavailable);
  });
}

// `list [filter flags | --filter F] [--page-size N] [--page-token T]
// [--all]`. With --all, follows next_page_token to the end and prints one
// response holding every item. A request without a `filter` field gets no
// filter flags (`filter_specs` must then be empty).
template <typename Stub, typename Request, typename Response>
AddedCommand<Request> AddListCommand(CLI::App& group,
                                     CommandSelection& selection,
                                     const std::string& plural,
                                     std::vector<FilterFlagSpec> filter_specs,
                                     Rpc<Stub, Request, Response> rpc) {
  struct State {
    explicit State(std::vector<FilterFlagSpec> specs)
        : filters(std::move(specs)) {}
    Request request;
    FilterFlags filters;
    int page_size = 0;
    bool all = false;
  };
  auto state = std::make_shared<State>(std::move(filter_specs));
  CLI::App& cmd = AddCommand(group, "list", "List " + plural);
  if constexpr (HasFilter<Request>::value) state->filters.AddTo(cmd);
  AddPagingOptions(cmd, state->page_size, *state->request.mutable_page_token(),
                   state->all);
  selection.Register(cmd, [state, rpc](CommandEnv& env) {
    Request& request = state->request;
    if constexpr (HasFilter<Request>::value) {
      request.set_filter(state->filters.Filter());
    }
    request.set_page_size(state->page_size);
    Response combined;
    while (true) {
      Response page;
      const grpc::Status status =
          Call(env, rpc, request, Retry::kOnUnavailable, page);
      if (!status.ok()) {
        PrintRpcError(status, env.err);
        return kExitRpcFailed;
      }
      if (!state->all) {
        PrintList(page, env.output, env.out);
        return kExitOk;
      }
      combined.MergeFrom(page);
      if (page.next_page_token().empty()) break;
      request.set_page_token(page.next_page_token());
    }
    combined.clear_next_page_token();
    PrintList(combined, env.output, env.out);
    return kExitOk;
  });
  return {cmd, state->request};
}

// `update NAME [--json FILE] [field flags] [--update-mask a,b] [--etag E]`.
// The update_mask is the paths of the given field flags plus --update-mask;
// with only --json it may be empty (the server then updates every field set
// in the resource). Never retried.
template <typename Stub, typename Request, typename Resource>
void AddUpdateCommand(CLI::App& group, CommandSelection& selection,
                      std::vector<FieldFlagSpec> field_specs,
                      Rpc<Stub, Request, Resource> rpc,
                      Resource* (Request::*mutable_resource)()) {
  struct State {
    explicit State(std::vector<FieldFlagSpec> specs)
        : fields(*Resource::descriptor(), std::move(specs)) {}
    Request request;
    FieldFlags fields;
    std::string name;
    std::string etag;
    std::string json_path;
    std::vector<std::string> mask;
  };
  const google::protobuf::Descriptor& descriptor = *Resource::descriptor();
  auto state = std::make_shared<State>(std::move(field_specs));
  CLI::App& cmd = AddCommand(
      group, "update", "Update fields of " + WithArticle(Singular(descriptor)));
  AddNameArgument(cmd, descriptor, state->name);
  AddJsonOption(cmd, descriptor, state->json_path);
  state->fields.AddTo(cmd);
  AddUpdateMaskOption(cmd, state->mask);
  AddEtagOption(cmd, state->etag);
  selection.Register(cmd, [state, rpc, mutable_resource](CommandEnv& env) {
    Request& request = state->request;
    Resource& resource = *(request.*mutable_resource)();
    if (!BuildResource(state->json_path, state->fields, resource, env.err)) {
      return kExitUsage;
    }
    resource.set_name(state->name);
    if (!state->etag.empty()) resource.set_etag(state->etag);
    std::vector<std::string> paths =
        MergePaths(state->mask, state->fields.GivenPaths());
    if (paths.empty() && state->json_path.empty()) {
      return UsageError("nothing to update: give field flags or --json",
                        env.err);
    }
    for (std::string& path : paths) {
      request.mutable_update_mask()->add_paths(std::move(path));
    }
    return CallAndPrint(env, rpc, request, Retry::kNever);
  });
}

// A custom state-change method (`achieve NAME [--etag E]`). Never retried:
// repeating it after a lost reply would fail on the new state.
template <typename Stub, typename Request, typename Resource>
void AddStateChangeCommand(CLI::App& group, CommandSelection& selection,
                           const std::string& name,
                           const std::string& description,
                           Rpc<Stub, Request, Resource> rpc) {
  auto request = std::make_shared<Request>();
  CLI::App& cmd = AddCommand(group, name, description);
  AddNameArgument(cmd, *Resource::descriptor(), *request->mutable_name());
  AddEtagOption(cmd, *request->mutable_etag());
  selection.Register(cmd, [request, rpc](CommandEnv& env) {
    return CallAndPrint(env, rpc, *request, Retry::kNever);
  });
}

}  // namespace careers::cli

#endif  // CAREERS_CLIENTS_CLI_STANDARD_COMMANDS_H_
