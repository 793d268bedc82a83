#include "tests/bench/scenarios.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <random>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "careers/v1/booking_service.grpc.pb.h"
#include "careers/v1/profile_service.grpc.pb.h"
#include "careers/v1/skills_service.grpc.pb.h"
#include "health/v1/health.grpc.pb.h"
#include "server/auth/jwt_mint.h"
#include "tests/bench/bench_data.h"
#include "tests/bench/sql_baseline.h"

namespace careers::bench {
namespace {

// Tokens signed at most this many to a pool; calls pick among them.
constexpr int kAdviserPool = 64;
constexpr int kPersonPool = 1000;
constexpr int kHarvestPageSize = 500;

// A per-thread random engine, seeded from the run's seed and a counter.
uint64_t Random(uint64_t seed) {
  static std::atomic<uint64_t> streams{0};
  thread_local std::mt19937_64 engine(seed * 1000003 + streams.fetch_add(1));
  return engine();
}

// A random int in [1, n].
int OneTo(const ScenarioConfig& config, int n) {
  return 1 + static_cast<int>(Random(config.seed) % static_cast<uint64_t>(n));
}

// A request id never sent before, whatever --seed says: a repeated id with
// another body is refused, as it should be.
// One of `items` at random; `items` is not empty.
template <typename T>
const T& Pick(const ScenarioConfig& config, const std::vector<T>& items) {
  return items[static_cast<size_t>(
      OneTo(config, static_cast<int>(items.size())) - 1)];
}

std::string RequestId() {
  thread_local std::mt19937_64 engine(std::random_device{}());
  return absl::StrFormat("%016x%016x", engine(), engine());
}

// Starts one unary call on the callback API: `start(stub, context, request,
// response, on_done)` calls the stub's async()->Method. The call's state
// lives on the heap until its callback has run.
template <typename Stub, typename Request, typename Response, typename Start>
void IssueUnary(Stub& stub, const ScenarioConfig& config,
                const std::string& token, Request request, const Start& start,
                StatusCallback done) {
  struct Call {
    grpc::ClientContext context;
    Request request;
    Response response;
  };
  auto* call = new Call;
  call->request = std::move(request);
  const std::string& sent = config.token ? *config.token : token;
  if (!sent.empty()) {
    call->context.AddMetadata("authorization", absl::StrCat("Bearer ", sent));
  }
  call->context.set_deadline(
      absl::ToChronoTime(absl::Now() + config.call_timeout));
  start(stub, &call->context, &call->request, &call->response,
        [call, done = std::move(done)](const grpc::Status& status) {
          done(status.error_code());
          delete call;
        });
}

// Calls stub.async()->Method; a generic lambda so one macro serves all.
#define CAREERS_BENCH_ASYNC(Method)                                       \
  [](auto& stub, grpc::ClientContext* context, const auto* request,       \
     auto* response, std::function<void(grpc::Status)> on_done) {         \
    stub.async()->Method(context, request, response, std::move(on_done)); \
  }

// One stub per channel, used round robin.
template <typename Service>
class StubRing {
 public:
  explicit StubRing(const ScenarioConfig& config) {
    for (const auto& channel : config.channels) {
      stubs_.push_back(Service::NewStub(channel));
    }
  }
  typename Service::Stub& Next() {
    return *stubs_[next_.fetch_add(1, std::memory_order_relaxed) %
                   stubs_.size()];
  }

 private:
  std::vector<std::unique_ptr<typename Service::Stub>> stubs_;
  std::atomic<size_t> next_{0};
};

// A unary scenario: `next()` gives each call's request and token.
template <typename Service, typename Request, typename Response, typename Start>
IssueFn Unary(const ScenarioConfig& config, Start start,
              std::function<std::pair<Request, std::string>()> next) {
  auto stubs = std::make_shared<StubRing<Service>>(config);
  return [stubs, config, start, next = std::move(next)](StatusCallback done) {
    auto [request, token] = next();
    IssueUnary<typename Service::Stub, Request, Response>(
        stubs->Next(), config, token, std::move(request), start,
        std::move(done));
  };
}

absl::StatusOr<std::string> Sign(const ScenarioConfig& config,
                                 const std::string& role,
                                 const std::string& subject,
                                 const std::string& organisation,
                                 const std::string& profile) {
  if (config.token) return *config.token;
  auth::TokenClaims claims;
  claims.issuer = config.issuer;
  claims.audience = config.audience;
  claims.subject = subject;
  claims.role = role;
  claims.organisation = organisation;
  claims.profile = profile;
  claims.issued_at = absl::Now();
  claims.expires_at = claims.issued_at + absl::Hours(2);
  return auth::MintToken(claims, config.signing_algorithm, config.signing_key);
}

absl::StatusOr<std::vector<std::string>> AdviserTokens(
    const ScenarioConfig& config) {
  std::vector<std::string> tokens;
  for (int i = 1; i <= std::min(config.advisers, kAdviserPool); ++i) {
    absl::StatusOr<std::string> token =
        Sign(config, "adviser", data::AdviserSubject(i),
             data::OrganisationName(), "");
    if (!token.ok()) return token.status();
    tokens.push_back(*std::move(token));
  }
  return tokens;
}

// People of the data set, picked at random, and their tokens.
struct Person {
  std::string profile;  // profiles/{id}
  std::string token;
};

absl::StatusOr<std::string> PersonToken(const ScenarioConfig& config, int i) {
  return Sign(config, "person", data::PersonSubject(i), "",
              absl::StrCat("profiles/", data::ProfileId(i)));
}

absl::StatusOr<std::vector<Person>> People(const ScenarioConfig& config) {
  std::vector<Person> people;
  const int n = std::min(config.profiles, kPersonPool);
  for (int k = 0; k < n; ++k) {
    const int i = n == config.profiles ? k + 1 : OneTo(config, config.profiles);
    absl::StatusOr<std::string> token = PersonToken(config, i);
    if (!token.ok()) return token.status();
    people.push_back({absl::StrCat("profiles/", data::ProfileId(i)), *token});
  }
  return people;
}

absl::Status CheckNone(const ScenarioConfig&) { return absl::OkStatus(); }

absl::Status CheckData(const ScenarioConfig& config) {
  if (config.profiles < 1 || config.advisers < 1) {
    return absl::InvalidArgumentError(
        "this scenario calls the bench data set: give --profiles and "
        "--advisers (the counts careers-bench-data loaded)");
  }
  if (!config.token && config.signing_key.empty()) {
    return absl::InvalidArgumentError(
        "this scenario signs its own tokens: give --jwt-key FILE (the "
        "development private key) or --token");
  }
  return absl::OkStatus();
}

absl::Status CheckSql(const ScenarioConfig& config) {
  if (absl::Status s = CheckData(config); !s.ok()) return s;
  if (config.db_url.empty()) {
    return absl::InvalidArgumentError(
        "the sql-* baselines need --db-url (the server's database)");
  }
  return absl::OkStatus();
}

absl::StatusOr<IssueFn> MakeHealth(const ScenarioConfig& config) {
  using grpc::health::v1::Health;
  using grpc::health::v1::HealthCheckRequest;
  using grpc::health::v1::HealthCheckResponse;
  return Unary<Health, HealthCheckRequest, HealthCheckResponse>(
      config, CAREERS_BENCH_ASYNC(Check),
      [] { return std::make_pair(HealthCheckRequest(), std::string()); });
}

absl::StatusOr<IssueFn> MakeGetProfile(const ScenarioConfig& config) {
  auto tokens = AdviserTokens(config);
  if (!tokens.ok()) return tokens.status();
  return Unary<v1::ProfileService, v1::GetProfileRequest, v1::Profile>(
      config, CAREERS_BENCH_ASYNC(GetProfile),
      [config, tokens = *std::move(tokens)] {
        v1::GetProfileRequest req;
        req.set_name(absl::StrCat(
            "profiles/", data::ProfileId(OneTo(config, config.profiles))));
        return std::make_pair(req, Pick(config, tokens));
      });
}

absl::StatusOr<IssueFn> MakeGetOwnProfile(const ScenarioConfig& config) {
  auto people = People(config);
  if (!people.ok()) return people.status();
  return Unary<v1::ProfileService, v1::GetProfileRequest, v1::Profile>(
      config, CAREERS_BENCH_ASYNC(GetProfile),
      [config, people = *std::move(people)] {
        const Person& p = Pick(config, people);
        v1::GetProfileRequest req;
        req.set_name(p.profile);
        return std::make_pair(req, p.token);
      });
}

absl::StatusOr<IssueFn> MakeListProfiles(const ScenarioConfig& config) {
  auto tokens = AdviserTokens(config);
  if (!tokens.ok()) return tokens.status();
  return Unary<v1::ProfileService, v1::ListProfilesRequest,
               v1::ListProfilesResponse>(
      config, CAREERS_BENCH_ASYNC(ListProfiles),
      [config, tokens = *std::move(tokens)] {
        v1::ListProfilesRequest req;
        req.set_page_size(50);
        return std::make_pair(req, Pick(config, tokens));
      });
}

absl::StatusOr<IssueFn> MakeUpdateProfile(const ScenarioConfig& config) {
  auto tokens = AdviserTokens(config);
  if (!tokens.ok()) return tokens.status();
  return Unary<v1::ProfileService, v1::UpdateProfileRequest, v1::Profile>(
      config, CAREERS_BENCH_ASYNC(UpdateProfile),
      [config, tokens = *std::move(tokens)] {
        v1::UpdateProfileRequest req;
        req.mutable_profile()->set_name(absl::StrCat(
            "profiles/", data::ProfileId(OneTo(config, config.profiles))));
        req.mutable_profile()->add_career_interests(
            absl::StrCat("interest ", OneTo(config, 1000)));
        req.mutable_profile()->add_career_interests("renewable energy");
        req.mutable_update_mask()->add_paths("career_interests");
        return std::make_pair(req, Pick(config, tokens));
      });
}

// Midnight UTC tomorrow: slots are searched from then on.
absl::Time Tomorrow() {
  const absl::CivilDay today =
      absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  return absl::FromCivil(today + 1, absl::UTCTimeZone());
}

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

absl::StatusOr<IssueFn> MakeSearchAvailability(const ScenarioConfig& config) {
  auto people = People(config);
  if (!people.ok()) return people.status();
  const absl::Time first = Tomorrow();
  return Unary<v1::BookingService, v1::SearchAvailabilityRequest,
               v1::SearchAvailabilityResponse>(
      config, CAREERS_BENCH_ASYNC(SearchAvailability),
      [config, first, people = *std::move(people)] {
        // A week's first page of slots of any adviser, as the app asks,
        // from a random day of the coming six weeks.
        const absl::Time from =
            first + absl::Hours(24) * (OneTo(config, 42) - 1);
        v1::SearchAvailabilityRequest req;
        req.set_appointment_type(data::AppointmentTypeName());
        *req.mutable_start_time() = ToTimestamp(from);
        *req.mutable_end_time() = ToTimestamp(from + absl::Hours(24 * 7));
        req.set_page_size(20);
        const Person& p = Pick(config, people);
        return std::make_pair(req, p.token);
      });
}

// The skills of migration 0007 an experience is tagged with.
constexpr const char* kSkills[] = {
    "skills/sds-focusing", "skills/sds-communicating",
    "skills/sds-collaborating", "skills/sds-curiosity"};

absl::StatusOr<IssueFn> MakeCreateExperience(const ScenarioConfig& config) {
  auto people = People(config);
  if (!people.ok()) return people.status();
  return Unary<v1::SkillsService, v1::CreateExperienceRequest, v1::Experience>(
      config, CAREERS_BENCH_ASYNC(CreateExperience),
      [config, people = *std::move(people)] {
        const Person& p = Pick(config, people);
        v1::CreateExperienceRequest req;
        req.set_parent(p.profile);
        req.set_request_id(RequestId());
        v1::Experience& x = *req.mutable_experience();
        x.set_kind(v1::PART_TIME_JOB);
        x.set_title("Saturday job at the garden centre");
        x.set_organisation_name("Benchmark Garden Centre");
        x.mutable_start_date()->set_year(2025);
        x.mutable_start_date()->set_month(1 + OneTo(config, 12) - 1);
        x.mutable_start_date()->set_day(OneTo(config, 28));
        x.set_hours(OneTo(config, 200));
        x.set_reflection("I learnt to deal with customers on my own.");
        const int first_skill = OneTo(config, 4);
        for (int k = 0; k < 2; ++k) {
          v1::SkillClaim& claim = *x.add_skills();
          claim.set_skill(kSkills[(first_skill + k) % 4]);
          claim.set_level(OneTo(config, 4));
        }
        return std::make_pair(req, p.token);
      });
}

absl::StatusOr<IssueFn> MakeSkillsSummary(const ScenarioConfig& config) {
  auto people = People(config);
  if (!people.ok()) return people.status();
  return Unary<v1::SkillsService, v1::GetSkillsSummaryRequest,
               v1::SkillsSummary>(config, CAREERS_BENCH_ASYNC(GetSkillsSummary),
                                  [config, people = *std::move(people)] {
                                    const Person& p = Pick(config, people);
                                    v1::GetSkillsSummaryRequest req;
                                    req.set_profile(p.profile);
                                    return std::make_pair(req, p.token);
                                  });
}

// A booking the create-appointment scenarios make.
struct Booking {
  v1::CreateAppointmentRequest request;
  std::string token;
};

// `profile` (profiles/{id}) books `slot`.
v1::CreateAppointmentRequest BookingOf(const BenchSlot& slot,
                                       const std::string& profile) {
  v1::CreateAppointmentRequest req;
  v1::Appointment& a = *req.mutable_appointment();
  a.set_profile(profile);
  a.set_adviser(absl::StrCat("advisers/", slot.adviser_id));
  a.set_appointment_type(data::AppointmentTypeName());
  a.set_channel(v1::Adviser::IN_PERSON);
  *a.mutable_start_time() = ToTimestamp(slot.start);
  return req;
}

absl::StatusOr<IssueFn> MakeCreateAppointment(const ScenarioConfig& config) {
  absl::StatusOr<std::vector<BenchSlot>> slots =
      FindFreeSlots(config, config.slots, /*from_last_adviser=*/false);
  if (!slots.ok()) return slots.status();
  // Each booking is a different person's, made at setup so signing is not
  // timed.
  // Signing is slow (libjwt parses the key each time): spread it over the
  // machine's threads.
  auto bookings = std::make_shared<std::vector<Booking>>(slots->size());
  const size_t threads =
      std::max<size_t>(1, std::thread::hardware_concurrency());
  std::vector<absl::Status> failed(threads);
  {
    std::vector<std::thread> signers;
    for (size_t t = 0; t < threads; ++t) {
      signers.emplace_back([&, t] {
        for (size_t j = t; j < slots->size(); j += threads) {
          const int person =
              static_cast<int>(j % static_cast<size_t>(config.profiles)) + 1;
          absl::StatusOr<std::string> token = PersonToken(config, person);
          if (!token.ok()) {
            failed[t] = token.status();
            return;
          }
          (*bookings)[j] = {
              BookingOf((*slots)[j],
                        absl::StrCat("profiles/", data::ProfileId(person))),
              *std::move(token)};
        }
      });
    }
    for (std::thread& signer : signers) signer.join();
  }
  for (const absl::Status& s : failed) {
    if (!s.ok()) return s;
  }
  auto next = std::make_shared<std::atomic<size_t>>(0);
  auto stubs = std::make_shared<StubRing<v1::BookingService>>(config);
  return IssueFn([config, bookings, next, stubs](StatusCallback done) {
    const size_t j = next->fetch_add(1);
    if (j >= bookings->size()) {
      // Out of free slots: the run was longer than --slots allows.
      done(grpc::StatusCode::RESOURCE_EXHAUSTED);
      return;
    }
    Booking booking = (*bookings)[j];
    booking.request.set_request_id(RequestId());
    IssueUnary<v1::BookingService::Stub, v1::CreateAppointmentRequest,
               v1::Appointment>(
        stubs->Next(), config, booking.token, std::move(booking.request),
        CAREERS_BENCH_ASYNC(CreateAppointment), std::move(done));
  });
}

absl::StatusOr<IssueFn> MakeCreateAppointmentHot(const ScenarioConfig& config) {
  absl::StatusOr<std::vector<BenchSlot>> slots =
      FindFreeSlots(config, 1, /*from_last_adviser=*/true);
  if (!slots.ok()) return slots.status();
  auto people = People(config);
  if (!people.ok()) return people.status();
  const BenchSlot hot = slots->front();
  auto next = std::make_shared<std::atomic<size_t>>(0);
  return Unary<v1::BookingService, v1::CreateAppointmentRequest,
               v1::Appointment>(
      config, CAREERS_BENCH_ASYNC(CreateAppointment),
      [config, hot, next, people = *std::move(people)] {
        // Everyone wants the same slot: one booking, the rest refused.
        const Person& p = people[next->fetch_add(1) % people.size()];
        v1::CreateAppointmentRequest req = BookingOf(hot, p.profile);
        req.set_request_id(RequestId());
        return std::make_pair(req, p.token);
      });
}

}  // namespace

absl::StatusOr<std::vector<BenchSlot>> FindFreeSlots(
    const ScenarioConfig& config, int count, bool from_last_adviser) {
  absl::StatusOr<std::string> token = PersonToken(config, 1);
  if (!token.ok()) return token.status();
  auto stub = v1::BookingService::NewStub(config.channels.front());
  // Each adviser's free slots, in time order.
  std::vector<std::vector<BenchSlot>> by_adviser;
  int found = 0;
  const absl::Time first = absl::Now() + absl::Minutes(10);
  for (int n = 0; n < config.advisers && found < count; ++n) {
    const int a = from_last_adviser ? config.advisers - n : n + 1;
    std::vector<BenchSlot>& mine = by_adviser.emplace_back();
    // The search window is at most 31 days: four weeks at a time.
    for (int window = 0; window < 3 && found < count; ++window) {
      const absl::Time from = first + absl::Hours(24 * 28) * window;
      std::string page_token;
      do {
        v1::SearchAvailabilityRequest req;
        req.set_appointment_type(data::AppointmentTypeName());
        req.set_adviser(absl::StrCat("advisers/", data::AdviserId(a)));
        *req.mutable_start_time() = ToTimestamp(from);
        *req.mutable_end_time() = ToTimestamp(from + absl::Hours(24 * 28));
        req.set_page_size(kHarvestPageSize);
        req.set_page_token(page_token);
        grpc::ClientContext context;
        context.AddMetadata("authorization", absl::StrCat("Bearer ", *token));
        context.set_deadline(
            absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
        v1::SearchAvailabilityResponse resp;
        const grpc::Status status =
            stub->SearchAvailability(&context, req, &resp);
        if (!status.ok()) {
          return absl::UnavailableError(
              absl::StrCat("finding free slots: SearchAvailability: ",
                           status.error_message()));
        }
        for (const v1::Slot& s : resp.slots()) {
          mine.push_back({data::AdviserId(a),
                          absl::FromUnixSeconds(s.start_time().seconds())});
          ++found;
        }
        page_token = resp.next_page_token();
      } while (!page_token.empty() && found < count);
    }
  }
  // Round robin over the advisers, so calls in flight at once book
  // different advisers, as many people booking at once would.
  std::vector<BenchSlot> slots;
  for (size_t i = 0; static_cast<int>(slots.size()) < found; ++i) {
    for (const std::vector<BenchSlot>& mine : by_adviser) {
      if (i < mine.size()) slots.push_back(mine[i]);
    }
  }
  if (slots.empty()) {
    return absl::FailedPreconditionError(
        "finding free slots: the bench advisers have none left (load the "
        "data set again, or give it more weeks)");
  }
  if (static_cast<int>(slots.size()) > count) slots.resize(count);
  return slots;
}

const std::vector<Scenario>& Scenarios() {
  using grpc::StatusCode;
  static const auto* scenarios = new std::vector<Scenario>{
      {"health", "grpc.health.v1.Health/Check (the no-op ceiling)",
       StatusCode::OK, CheckNone, MakeHealth},
      {"get-profile",
       "ProfileService/GetProfile: an adviser reads a random shared profile "
       "(consent check, access log)",
       StatusCode::OK, CheckData, MakeGetProfile},
      {"get-own-profile",
       "ProfileService/GetProfile: a person reads their own profile (no "
       "consent check, nothing recorded)",
       StatusCode::OK, CheckData, MakeGetOwnProfile},
      {"list-profiles",
       "ProfileService/ListProfiles: an adviser's first page of 50 shared "
       "profiles by name",
       StatusCode::OK, CheckData, MakeListProfiles},
      {"update-profile",
       "ProfileService/UpdateProfile: an adviser changes a random profile's "
       "career interests (update mask, no etag)",
       StatusCode::OK, CheckData, MakeUpdateProfile},
      {"search-availability",
       "BookingService/SearchAvailability: a person's first page of 20 "
       "slots of a random week, any adviser",
       StatusCode::OK, CheckData, MakeSearchAvailability},
      {"create-appointment",
       "BookingService/CreateAppointment: people book distinct free slots "
       "(found first, --slots of them)",
       StatusCode::OK, CheckData, MakeCreateAppointment},
      {"create-appointment-hot",
       "BookingService/CreateAppointment: everyone books the same slot; one "
       "succeeds, the rest are FAILED_PRECONDITION",
       StatusCode::FAILED_PRECONDITION, CheckData, MakeCreateAppointmentHot},
      {"create-experience",
       "SkillsService/CreateExperience: a person logs a part-time job with "
       "two skills",
       StatusCode::OK, CheckData, MakeCreateExperience},
      {"get-skills-summary",
       "SkillsService/GetSkillsSummary: a person's own summary", StatusCode::OK,
       CheckData, MakeSkillsSummary},
      {"sql-get-profile",
       "raw-SQL baseline of get-profile: its statements through the store, "
       "no gRPC",
       StatusCode::OK, CheckSql, MakeSqlGetProfile},
      {"sql-create-appointment",
       "raw-SQL baseline of create-appointment: its statements through the "
       "store, no gRPC",
       StatusCode::OK, CheckSql, MakeSqlCreateAppointment},
  };
  return *scenarios;
}

const Scenario* FindScenario(absl::string_view name) {
  for (const Scenario& s : Scenarios()) {
    if (name == s.name) return &s;
  }
  return nullptr;
}

}  // namespace careers::bench
