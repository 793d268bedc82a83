#ifndef CAREERS_SERVER_DOMAIN_METHOD_ACCESS_H_
#define CAREERS_SERVER_DOMAIN_METHOD_ACCESS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "careers/v1/annotations.pb.h"
#include "google/protobuf/message.h"

// The one reader of the `(careers.v1.access)` method option
// (protos/careers/v1/annotations.proto): who may call each RPC, which
// request field names the resource it acts on, whether it touches a
// person's data, and in what words the person reads it. Declared once per
// method in the protos; the access policy, the access record and the call
// runner read it from here. Thread-safe.
namespace careers::domain {

// The option of `method` ("careers.v1.ProfileService/GetProfile"), or
// nullptr if no careers.v1 service has that method or the method does not
// declare the option. The options of every method of the API's services
// are read from the generated descriptors into a map at the first call;
// the pointer stays valid for the life of the process.
const v1::MethodAccess* MethodAccessOf(absl::string_view method);

// The resource name `request` gives by `access.resource`: the value of the
// first of its "|"-separated paths ("profile|adviser|organisation") that
// is non-empty, each path a chain of field names through singular message
// fields to a string field ("appointment_type.organisation"); "" if none
// is set or `resource` is empty. A path that names no such field of the
// request counts as not set (tests/unit/method_access_test.cc checks that
// every option's paths name real fields).
std::string ResourceOf(const v1::MethodAccess& access,
                       const google::protobuf::Message& request);

// Whether calls under `access`'s rule only read: the API layer then records
// the person's data they returned on the access record. The others change
// something, and the store records them in their own transactions.
bool ReadsOnly(const v1::MethodAccess& access);

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_METHOD_ACCESS_H_
