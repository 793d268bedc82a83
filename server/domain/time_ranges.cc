#include "server/domain/time_ranges.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"

namespace careers::checks {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr int kMaxDepth = 32;  // protobuf's own parser stops at 100

void CheckTimestamp(const google::protobuf::Timestamp& t,
                    const std::string& path, errors::FieldViolations& v) {
  if (t.seconds() < kMinTimestampSeconds ||
      t.seconds() > kMaxTimestampSeconds) {
    v.Add(path,
          "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
  } else if (t.nanos() < 0 || t.nanos() > 999999999) {
    v.Add(path, "nanos must be between 0 and 999,999,999");
  }
}

void CheckDate(const google::type::Date& d, const std::string& path,
               errors::FieldViolations& v) {
  if (d.year() < 0 || d.year() > 9999) {
    v.Add(path, "year must be between 1 and 9999 (or 0 for none)");
    return;
  }
  if (d.month() < 0 || d.month() > 12) {
    v.Add(path, "month must be between 1 and 12 (or 0 for none)");
    return;
  }
  if (d.day() < 0 || d.day() > 31) {
    v.Add(path, "day must be between 1 and 31 (or 0 for none)");
    return;
  }
  if (d.month() == 0 || d.day() == 0) return;
  // A day the month has; without a year, 29 February is allowed.
  const absl::CivilDay day(d.year() == 0 ? 2000 : d.year(), d.month(), d.day());
  if (day.month() != d.month() || day.day() != d.day()) {
    v.Add(path, absl::StrCat("is not a real calendar date (", d.year(), "-",
                             d.month(), "-", d.day(), ")"));
  }
}

void Walk(const Message& message, const std::string& prefix, int depth,
          errors::FieldViolations& v);

// A field of a well-known message read through reflection, so that any
// message of the type (generated or dynamic) can be checked.
int64_t Int64Field(const Message& m, const char* name) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(name);
  return f == nullptr ? 0 : m.GetReflection()->GetInt64(m, f);
}
int32_t Int32Field(const Message& m, const char* name) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(name);
  return f == nullptr ? 0 : m.GetReflection()->GetInt32(m, f);
}

void CheckOne(const Message& value, const std::string& path, int depth,
              errors::FieldViolations& v) {
  const std::string& type = value.GetDescriptor()->full_name();
  if (type == google::protobuf::Timestamp::descriptor()->full_name()) {
    google::protobuf::Timestamp t;
    t.set_seconds(Int64Field(value, "seconds"));
    t.set_nanos(Int32Field(value, "nanos"));
    CheckTimestamp(t, path, v);
  } else if (type == google::type::Date::descriptor()->full_name()) {
    google::type::Date d;
    d.set_year(Int32Field(value, "year"));
    d.set_month(Int32Field(value, "month"));
    d.set_day(Int32Field(value, "day"));
    CheckDate(d, path, v);
  } else {
    Walk(value, path, depth + 1, v);
  }
}

void Walk(const Message& message, const std::string& prefix, int depth,
          errors::FieldViolations& v) {
  if (depth > kMaxDepth) return;
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_map()) continue;  // no maps hold times in our API
    const std::string path = prefix.empty()
                                 ? field->name()
                                 : absl::StrCat(prefix, ".", field->name());
    if (field->is_repeated()) {
      const int n = reflection->FieldSize(message, field);
      for (int i = 0; i < n; ++i) {
        CheckOne(reflection->GetRepeatedMessage(message, field, i),
                 absl::StrCat(path, "[", i, "]"), depth, v);
      }
    } else {
      CheckOne(reflection->GetMessage(message, field), path, depth, v);
    }
  }
}

}  // namespace

void CheckTimeRanges(const Message& message, errors::FieldViolations& v) {
  Walk(message, "", 0, v);
}

}  // namespace careers::checks
