// Every Timestamp and Date in a request, checked against its type's range
// in one place; and etags that know which resource they belong to.
#include "server/domain/time_ranges.h"

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "careers/v1/booking_service.pb.h"
#include "careers/v1/profile_service.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/domain/errors.h"
#include "server/domain/etag.h"
#include "server/domain/standard_methods.h"

namespace careers::checks {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> Violations(const google::protobuf::Message& m) {
  errors::FieldViolations v;
  CheckTimeRanges(m, v);
  std::vector<std::string> fields;
  for (const auto& [field, description] : v.list()) fields.push_back(field);
  return fields;
}

TEST(CheckTimeRanges, TimestampsAtTheEdgesOfTheirRangePass) {
  v1::SearchAvailabilityRequest req;
  req.mutable_start_time()->set_seconds(kMinTimestampSeconds);
  req.mutable_end_time()->set_seconds(kMaxTimestampSeconds);
  req.mutable_end_time()->set_nanos(999999999);
  EXPECT_THAT(Violations(req), IsEmpty());
}

TEST(CheckTimeRanges, TimestampsOutsideTheRangeAreNamed) {
  v1::SearchAvailabilityRequest req;
  req.mutable_start_time()->set_seconds(kMinTimestampSeconds - 1);  // year 0
  req.mutable_end_time()->set_seconds(kMaxTimestampSeconds + 1);    // 10000
  EXPECT_THAT(Violations(req), ElementsAre("start_time", "end_time"));
  v1::CreateAppointmentRequest book;
  book.mutable_appointment()->mutable_start_time()->set_seconds(
      std::numeric_limits<int64_t>::max());
  EXPECT_THAT(Violations(book), ElementsAre("appointment.start_time"));
  book.mutable_appointment()->mutable_start_time()->set_seconds(0);
  book.mutable_appointment()->mutable_start_time()->set_nanos(1000000000);
  EXPECT_THAT(Violations(book), ElementsAre("appointment.start_time"));
  book.mutable_appointment()->mutable_start_time()->set_nanos(-1);
  EXPECT_THAT(Violations(book), ElementsAre("appointment.start_time"));
}

TEST(CheckTimeRanges, DatesAreCheckedDeepInRepeatedFields) {
  v1::CreateProfileRequest req;
  v1::Profile& p = *req.mutable_profile();
  p.mutable_birth_date()->set_year(10000);
  p.mutable_birth_date()->set_month(1);
  p.mutable_birth_date()->set_day(1);
  p.add_education()->mutable_start_date()->set_year(2020);  // partial: fine
  v1::EducationEntry& bad = *p.add_education();
  bad.mutable_start_date()->set_year(2021);
  bad.mutable_start_date()->set_month(4);
  bad.mutable_start_date()->set_day(31);  // April has 30
  bad.mutable_end_date()->set_month(13);
  EXPECT_THAT(Violations(req), ElementsAre("profile.birth_date",
                                           "profile.education[1].start_date",
                                           "profile.education[1].end_date"));
}

TEST(CheckTimeRanges, TheTwentyNinthOfFebruaryNeedsALeapYearUnlessNoneIsGiven) {
  v1::CreateProfileRequest req;
  google::type::Date& d = *req.mutable_profile()->mutable_birth_date();
  d.set_month(2);
  d.set_day(29);
  EXPECT_THAT(Violations(req), IsEmpty());
  d.set_year(2028);
  EXPECT_THAT(Violations(req), IsEmpty());
  d.set_year(2027);
  EXPECT_THAT(Violations(req), ElementsAre("profile.birth_date"));
}

// --- etags ------------------------------------------------------------------

struct Resource {
  std::string name_;
  std::string etag_;
  const std::string& name() const { return name_; }
  const std::string& etag() const { return etag_; }
};

TEST(CheckEtag, AnOlderEtagIsAChangeByAnotherAndAStrangersIsSaidToBeSo) {
  const absl::Time created = absl::FromUnixSeconds(1800000000);
  const Resource current{"appointments/a",
                         MakeEtag("appointments/a", created, 3)};
  EXPECT_TRUE(domain::CheckEtag(current, "").ok());
  EXPECT_TRUE(domain::CheckEtag(current, current.etag()).ok());

  const absl::Status stale =
      domain::CheckEtag(current, MakeEtag("appointments/a", created, 2));
  EXPECT_EQ(stale.code(), absl::StatusCode::kAborted);
  EXPECT_THAT(std::string(stale.message()),
              ::testing::HasSubstr("changed by someone else"));

  for (const std::string& other :
       {MakeEtag("appointments/b", created, 3),
        MakeEtag("appointments/a", created + absl::Seconds(1), 3),
        std::string("not-an-etag")}) {
    const absl::Status wrong = domain::CheckEtag(current, other);
    EXPECT_EQ(wrong.code(), absl::StatusCode::kAborted) << other;
    EXPECT_THAT(std::string(wrong.message()),
                ::testing::HasSubstr("is not one of appointments/a"))
        << other;
  }
}

}  // namespace
}  // namespace careers::checks
