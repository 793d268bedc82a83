#ifndef CAREERS_TESTS_UNIT_FAKE_TABLES_H_
#define CAREERS_TESTS_UNIT_FAKE_TABLES_H_

#include <map>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "server/common/proto_time.h"
#include "server/domain/errors.h"
#include "server/domain/etag.h"
#include "server/domain/repository.h"

namespace careers::testing {

// The contract every MariaDB repository keeps, in memory, for the fakes that
// stand in for them: etags from versions, ALREADY_EXISTS for a taken id,
// NOT_FOUND, request-id replay. Not thread-safe: the fakes lock around it.
class FakeTables {
 protected:
  template <typename T>
  struct Entry {
    T value;
    uint64_t version = 1;
  };
  template <typename T>
  using Table = std::map<std::string, Entry<T>>;

  template <typename T>
  static T WithEtag(const Entry<T>& e) {
    T out = e.value;
    out.set_etag(
        MakeEtag(out.name(), FromProtoTimestamp(out.create_time()), e.version));
    return out;
  }

  template <typename T>
  absl::StatusOr<T> Create(Table<T>& table, const std::string& id,
                           const T& value, const domain::IdempotencyKey* key) {
    if (key != nullptr) {
      auto it = request_log_.find({key->scope, key->request_id});
      if (it != request_log_.end()) {
        if (it->second.first != key->request_hash) {
          return errors::InvalidField(
              "request_id", "was already used for a different request");
        }
        T replay;
        replay.ParseFromString(it->second.second);
        return replay;
      }
    }
    if (table.count(id)) {
      return absl::AlreadyExistsError(value.name() + " already exists");
    }
    Entry<T>& e = table[id];
    e.value = value;
    T created = WithEtag(e);
    if (key != nullptr) {
      request_log_[{key->scope, key->request_id}] = {
          key->request_hash, created.SerializeAsString()};
    }
    return created;
  }

  template <typename T>
  static absl::StatusOr<T> Get(Table<T>& table, const std::string& id,
                               const std::string& name) {
    auto it = table.find(id);
    if (it == table.end()) return errors::NotFound("Resource", name);
    return WithEtag(it->second);
  }

  template <typename T>
  static absl::StatusOr<T> Update(Table<T>& table, const std::string& id,
                                  const std::string& name,
                                  const domain::Mutation<T>& m) {
    auto it = table.find(id);
    if (it == table.end()) return errors::NotFound("Resource", name);
    T current = WithEtag(it->second);
    if (absl::Status s = m(current); !s.ok()) return s;
    it->second.value = current;
    ++it->second.version;
    return WithEtag(it->second);
  }

  // The first `limit` items of `sorted`, and whether more follow.
  template <typename Key, typename T>
  static domain::Page<T> TakePage(const std::map<Key, T>& sorted, int limit) {
    domain::Page<T> page;
    for (const auto& [key, value] : sorted) {
      if (static_cast<int>(page.items.size()) == limit) {
        page.has_more = true;
        break;
      }
      page.items.push_back(value);
    }
    return page;
  }

 private:
  std::map<std::pair<std::string, std::string>,
           std::pair<std::string, std::string>>
      request_log_;
};

}  // namespace careers::testing

#endif  // CAREERS_TESTS_UNIT_FAKE_TABLES_H_
