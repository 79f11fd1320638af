// S3Client and the S3 LogStore against an in-memory S3 (path-style) on a local test server,
// with injected faults. The real-server tests are tests/integration/test_lake_s3*.py.
#include "hashlake/lake/s3_client.h"

#include <arrow/api.h>
#include <arrow/io/interfaces.h>
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <random>

#include "hashlake/lake/aws_credentials.h"
#include "hashlake/lake/delta_table.h"
#include "hashlake/lake/log_store.h"
#include "hashlake/lake/s3_log_store.h"
#include "hashlake/lake/s3_test_server.h"
#include "hashlake/lake/scan.h"
#include "hashlake/lake/sigv4.h"

namespace hashlake::lake {
namespace {

using testing::TestHttpServer;
using testing::TestRequest;
using testing::TestResponse;

std::string UrlDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::map<std::string, std::string> ParseQuery(const std::string& q) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos < q.size()) {
    size_t amp = q.find('&', pos);
    if (amp == std::string::npos) amp = q.size();
    std::string kv = q.substr(pos, amp - pos);
    auto eq = kv.find('=');
    out[UrlDecode(kv.substr(0, eq))] = eq == std::string::npos ? "" : UrlDecode(kv.substr(eq + 1));
    pos = amp + 1;
  }
  return out;
}

TestResponse Dropped() {
  TestResponse r;
  r.drop = true;
  return r;
}

TestResponse Error(int status, const std::string& code) {
  return {status, {}, "<Error><Code>" + code + "</Code><Message>injected</Message></Error>"};
}

/// In-memory S3 for bucket "bkt", with a fault hook run before (and one after) each request.
class FakeS3 {
 public:
  /// Returning a response short-circuits the request (it never happens).
  std::function<std::optional<TestResponse>(const TestRequest&)> before;
  /// Runs after the request took effect; returning a response replaces the real one (the
  /// request happened but the client sees a failure: an ambiguous outcome).
  std::function<std::optional<TestResponse>(const TestRequest&)> after;
  int max_keys_cap = 1000;

  TestResponse Handle(const TestRequest& r) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!r.headers.count("authorization") || !r.headers.count("x-amz-content-sha256") ||
        !r.headers.count("x-amz-date")) {
      return Error(403, "AccessDenied");
    }
    if (r.headers.at("x-amz-content-sha256") != Sha256Hex(r.body)) {
      return Error(400, "XAmzContentSHA256Mismatch");
    }
    if (before) {
      if (auto f = before(r)) return *f;
    }
    TestResponse resp = Apply(r);
    if (after) {
      if (auto f = after(r)) return *f;
    }
    return resp;
  }

  std::map<std::string, std::string> objects;  // key -> bytes
  std::map<std::string, std::map<int, std::string>> uploads;
  std::map<std::string, std::string> upload_keys;  // upload id -> key
  int completed_multipart = 0;
  int aborted = 0;

 private:
  TestResponse Apply(const TestRequest& r) {
    std::string path = r.Path();
    if (!path.starts_with("/bkt")) return Error(404, "NoSuchBucket");
    std::string key = UrlDecode(path.size() > 5 ? path.substr(5) : "");
    auto q = ParseQuery(r.Query());
    if (r.method == "GET" && key.empty() && q.count("list-type")) return List(q);
    if (r.method == "GET" && key.empty() && q.count("uploads")) {
      std::string body = "<ListMultipartUploadsResult>";
      for (const auto& [id, k] : upload_keys) {
        if (uploads.count(id) && k.starts_with(q["prefix"])) {
          body += "<Upload><Key>" + k + "</Key><UploadId>" + id + "</UploadId></Upload>";
        }
      }
      return {200, {}, body + "</ListMultipartUploadsResult>"};
    }
    if (r.method == "POST" && q.count("uploads")) {
      std::string id = "up" + std::to_string(next_upload_++);
      uploads[id];
      upload_keys[id] = key;
      return {200,
              {},
              "<InitiateMultipartUploadResult><UploadId>" + id +
                  "</UploadId>"
                  "</InitiateMultipartUploadResult>"};
    }
    if (q.count("uploadId")) {
      auto it = uploads.find(q["uploadId"]);
      if (it == uploads.end()) return Error(404, "NoSuchUpload");
      if (r.method == "PUT") {
        int n = std::stoi(q["partNumber"]);
        it->second[n] = r.body;
        return {200, {{"ETag", "\"etag-" + std::to_string(n) + "\""}}, ""};
      }
      if (r.method == "DELETE") {
        uploads.erase(it);
        ++aborted;
        return {204, {}, ""};
      }
      std::string all;
      int expect = 1;
      for (auto& [n, data] : it->second) {
        if (n != expect++) return Error(400, "InvalidPartOrder");
        if (r.body.find("<PartNumber>" + std::to_string(n) + "</PartNumber><ETag>\"etag-" +
                        std::to_string(n) + "\"</ETag>") == std::string::npos) {
          return Error(400, "InvalidPart");
        }
        all += data;
      }
      objects[key] = all;
      uploads.erase(it);
      ++completed_multipart;
      return {200,
              {},
              "<CompleteMultipartUploadResult><ETag>\"x-2\"</ETag>"
              "</CompleteMultipartUploadResult>"};
    }
    if (r.method == "PUT") {
      if (r.headers.count("if-none-match") && objects.count(key)) {
        return Error(412, "PreconditionFailed");
      }
      objects[key] = r.body;
      return {200, {{"ETag", "\"e\""}}, ""};
    }
    auto it = objects.find(key);
    if (r.method == "DELETE") {
      if (it != objects.end()) objects.erase(it);
      return {204, {}, ""};
    }
    if (it == objects.end()) return Error(404, "NoSuchKey");
    const std::string lm = "Wed, 01 May 2024 00:00:00 GMT";
    if (r.method == "HEAD") {
      return {
          200, {{"Content-Length", std::to_string(it->second.size())}, {"Last-Modified", lm}}, ""};
    }
    if (auto range = r.headers.find("range"); range != r.headers.end()) {
      // bytes=a-b
      std::string spec = range->second.substr(6);
      int64_t a = std::stoll(spec.substr(0, spec.find('-')));
      int64_t b = std::stoll(spec.substr(spec.find('-') + 1));
      if (a >= static_cast<int64_t>(it->second.size())) return Error(416, "InvalidRange");
      ++ranged_gets;
      return {206, {}, it->second.substr(a, b - a + 1)};
    }
    return {200, {{"Last-Modified", lm}}, it->second};
  }

  TestResponse List(std::map<std::string, std::string>& q) {
    std::string prefix = q["prefix"], delimiter = q["delimiter"];
    std::string after = q.count("continuation-token") ? q["continuation-token"] : q["start-after"];
    int max_keys = std::min(std::stoi(q["max-keys"]), max_keys_cap);
    std::string body = "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
    int n = 0;
    std::string last, last_prefix;
    bool truncated = false;
    for (auto it = objects.upper_bound(after); it != objects.end(); ++it) {
      const std::string& k = it->first;
      if (!k.starts_with(prefix)) continue;
      if (!delimiter.empty()) {
        auto d = k.find(delimiter, prefix.size());
        if (d != std::string::npos) {
          std::string cp = k.substr(0, d + 1);
          if (cp != last_prefix) {
            if (n == max_keys) {
              truncated = true;
              break;
            }
            body += "<CommonPrefixes><Prefix>" + cp + "</Prefix></CommonPrefixes>";
            last_prefix = cp;
            ++n;
          }
          last = k;
          continue;
        }
      }
      if (n == max_keys) {
        truncated = true;
        break;
      }
      body += "<Contents><Key>" + k +
              "</Key><LastModified>2024-05-01T00:00:00.250Z"
              "</LastModified><ETag>&quot;e&quot;</ETag><Size>" +
              std::to_string(it->second.size()) + "</Size></Contents>";
      last = k;
      ++n;
    }
    body += std::string("<IsTruncated>") + (truncated ? "true" : "false") + "</IsTruncated>";
    if (truncated) body += "<NextContinuationToken>" + last + "</NextContinuationToken>";
    body += "</ListBucketResult>";
    ++list_pages;
    return {200, {}, body};
  }

 public:
  int ranged_gets = 0;
  int list_pages = 0;

 private:
  std::mutex mu_;
  int next_upload_ = 1;
};

class S3ClientTest : public ::testing::Test {
 protected:
  S3ClientTest() : server_([this](const TestRequest& r) { return s3_.Handle(r); }) {}

  std::shared_ptr<S3Client> Client(int max_attempts = 5) {
    S3Options o;
    o.bucket = "bkt";
    o.endpoint = server_.url();
    o.max_attempts = max_attempts;
    o.base_backoff = std::chrono::milliseconds(1);
    o.max_backoff = std::chrono::milliseconds(5);
    o.part_size = 5LL << 20;
    o.multipart_threshold = 5LL << 20;
    auto c = S3Client::Make(o, MakeStaticCredentialProvider({"AKID", "secret", "", {}, "test"}));
    EXPECT_TRUE(c.ok()) << c.status();
    return *c;
  }

  FakeS3 s3_;
  TestHttpServer server_;
};

TEST_F(S3ClientTest, PutGetHeadDeleteRoundTrip) {
  auto c = Client();
  ASSERT_TRUE(c->PutObject("a/b c.json", "hello", false).ok());
  EXPECT_EQ(s3_.objects.at("a/b c.json"), "hello");
  EXPECT_EQ(*c->GetObject("a/b c.json"), "hello");
  EXPECT_EQ(*c->GetObject("a/b c.json", {{1, 3}}), "ell");
  auto head = c->HeadObject("a/b c.json");
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->size, 5);
  EXPECT_EQ(head->last_modified_ms, 1714521600000);
  ASSERT_TRUE(c->DeleteObject("a/b c.json").ok());
  auto missing = c->GetObject("a/b c.json");
  EXPECT_TRUE(IsS3NotFound(missing.status())) << missing.status();
  EXPECT_TRUE(c->DeleteObject("a/b c.json").ok());  // already gone is fine
  // An empty body is an empty object (regression: a null body pointer made curl read stdin).
  ASSERT_TRUE(c->PutObject("empty", std::string_view(), false).ok());
  EXPECT_EQ(s3_.objects.at("empty"), "");
  EXPECT_EQ(*c->GetObject("empty"), "");
  EXPECT_EQ(c->retries(), 0);
}

TEST_F(S3ClientTest, ConditionalPutConflictIsAlreadyExists) {
  auto c = Client();
  ASSERT_TRUE(c->PutObject("_delta_log/1.json", "ours", true).ok());
  auto st = c->PutObject("_delta_log/1.json", "theirs", true);
  EXPECT_TRUE(st.IsAlreadyExists()) << st;
  EXPECT_EQ(s3_.objects.at("_delta_log/1.json"), "ours");
}

TEST_F(S3ClientTest, RetriesSlowDownAndServerErrors) {
  int faults = 0;
  s3_.before = [&](const TestRequest&) -> std::optional<TestResponse> {
    ++faults;
    if (faults == 1) return Error(503, "SlowDown");
    if (faults == 2) return Error(500, "InternalError");
    if (faults == 3) return Dropped();
    if (faults == 4) return Error(400, "RequestTimeout");
    return std::nullopt;
  };
  auto c = Client(6);
  ASSERT_TRUE(c->PutObject("k", "v", false).ok());
  EXPECT_EQ(c->retries(), 4);
  EXPECT_EQ(s3_.objects.at("k"), "v");
}

TEST_F(S3ClientTest, GivesUpAfterMaxAttempts) {
  s3_.before = [](const TestRequest&) -> std::optional<TestResponse> {
    return Error(503, "SlowDown");
  };
  auto c = Client(3);
  auto st = c->PutObject("k", "v", false);
  EXPECT_TRUE(st.IsIOError());
  EXPECT_NE(st.message().find("gave up after 3 attempts"), std::string::npos) << st;
  EXPECT_EQ(server_.requests(), 3);
}

TEST_F(S3ClientTest, ClientErrorsAreNotRetried) {
  s3_.before = [](const TestRequest&) -> std::optional<TestResponse> {
    return Error(403, "AccessDenied");
  };
  auto c = Client(5);
  auto st = c->PutObject("k", "v", false);
  EXPECT_NE(st.message().find("AccessDenied"), std::string::npos) << st;
  EXPECT_EQ(server_.requests(), 1);
}

TEST_F(S3ClientTest, ConditionalPutThatLandedDespiteAnErrorSucceeds) {
  // The PUT is stored, then the response is lost: the retry sees 412 and must recognise
  // its own bytes instead of reporting a lost race.
  bool first = true;
  s3_.after = [&](const TestRequest& r) -> std::optional<TestResponse> {
    if (r.method == "PUT" && first) {
      first = false;
      return Dropped();
    }
    return std::nullopt;
  };
  auto c = Client();
  EXPECT_TRUE(c->PutObject("_delta_log/5.json", "commit-5", true).ok());
  EXPECT_EQ(c->retries(), 1);

  // A 500 after storing, and someone else's object at the key: a real conflict.
  s3_.objects["_delta_log/6.json"] = "theirs";
  first = true;
  s3_.after = [&](const TestRequest& r) -> std::optional<TestResponse> {
    if (r.method == "PUT" && first) {
      first = false;
      return Error(500, "InternalError");
    }
    return std::nullopt;
  };
  auto st = c->PutObject("_delta_log/6.json", "ours", true);
  EXPECT_TRUE(st.IsAlreadyExists()) << st;
}

TEST_F(S3ClientTest, ListFollowsContinuationTokens) {
  auto c = Client();
  s3_.max_keys_cap = 2;
  for (int i = 0; i < 5; ++i) s3_.objects["t/_delta_log/" + std::to_string(i) + ".json"] = "x";
  s3_.objects["t/date=2024-05-01/part-1.parquet"] = "p";
  s3_.objects["t/date=2024-05-02/part-2.parquet"] = "p";
  S3ListRequest all;
  all.prefix = "t/_delta_log/";
  auto listing = c->ListObjects(all);
  ASSERT_TRUE(listing.ok()) << listing.status();
  ASSERT_EQ(listing->objects.size(), 5u);
  EXPECT_EQ(listing->objects[4].key, "t/_delta_log/4.json");
  EXPECT_EQ(listing->objects[0].last_modified_ms, 1714521600250);
  EXPECT_EQ(listing->objects[0].etag, "\"e\"");
  EXPECT_EQ(s3_.list_pages, 3);
  S3ListRequest after = all;
  after.start_after = "t/_delta_log/2.json";
  EXPECT_EQ(c->ListObjects(after)->objects.size(), 2u);
  S3ListRequest dirs;
  dirs.prefix = "t/";
  dirs.delimiter = "/";
  auto d = c->ListObjects(dirs);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->common_prefixes, (std::vector<std::string>{"t/_delta_log/", "t/date=2024-05-01/",
                                                          "t/date=2024-05-02/"}));
}

std::string RandomBytes(size_t n) {
  std::mt19937_64 rng(7);
  std::string s(n, '\0');
  for (auto& ch : s) ch = static_cast<char>(rng());
  return s;
}

TEST_F(S3ClientTest, LogStoreMultipartWriteAndRangedRead) {
  auto c = Client();
  auto store = *MakeS3LogStore(c);
  const std::string data = RandomBytes((12LL << 20) + 12345);
  {
    auto out = store->OpenForWrite("s3://bkt/t/big.bin");
    ASSERT_TRUE(out.ok());
    for (size_t pos = 0; pos < data.size(); pos += 1 << 20) {
      ASSERT_TRUE(
          (*out)->Write(data.data() + pos, std::min<size_t>(1 << 20, data.size() - pos)).ok());
    }
    EXPECT_FALSE(s3_.objects.count("t/big.bin"));  // invisible until Close
    ASSERT_TRUE((*out)->Close().ok());
  }
  EXPECT_EQ(s3_.completed_multipart, 1);
  ASSERT_EQ(s3_.objects.at("t/big.bin").size(), data.size());
  EXPECT_TRUE(s3_.objects.at("t/big.bin") == data);

  auto in = store->OpenForRead("s3://bkt/t/big.bin");
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_EQ(*(*in)->GetSize(), static_cast<int64_t>(data.size()));
  auto tail = (*in)->ReadAt(data.size() - 100, 1000);  // clipped at the end
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ((*tail)->ToString(), data.substr(data.size() - 100));
  ASSERT_TRUE((*in)->Seek(5).ok());
  EXPECT_EQ((*(*in)->Read(10))->ToString(), data.substr(5, 10));
  EXPECT_GE(s3_.ranged_gets, 2);
}

TEST_F(S3ClientTest, FailedPartAbortsTheUpload) {
  s3_.before = [](const TestRequest& r) -> std::optional<TestResponse> {
    if (r.target.find("partNumber=2") != std::string::npos) return Error(500, "InternalError");
    return std::nullopt;
  };
  auto store = *MakeS3LogStore(Client(3));
  const std::string data = RandomBytes(11LL << 20);
  auto out = *store->OpenForWrite("s3://bkt/t/broken.bin");
  arrow::Status st = out->Write(data.data(), static_cast<int64_t>(data.size()));
  if (st.ok()) st = out->Close();
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(s3_.aborted, 1);
  EXPECT_TRUE(s3_.uploads.empty());
  EXPECT_FALSE(s3_.objects.count("t/broken.bin"));
}

TEST_F(S3ClientTest, AmbiguousCreateMultipartUploadLeavesNoOrphan) {
  // The first CreateMultipartUpload starts an upload but its answer is lost; the retry starts
  // a second one. The first must be aborted, not left behind.
  bool first = true;
  s3_.after = [&](const TestRequest& r) -> std::optional<TestResponse> {
    if (r.method == "POST" && r.target.find("uploads") != std::string::npos && first) {
      first = false;
      return Dropped();
    }
    return std::nullopt;
  };
  auto store = *MakeS3LogStore(Client());
  const std::string data = RandomBytes(6LL << 20);
  auto out = *store->OpenForWrite("s3://bkt/t/once.bin");
  ASSERT_TRUE(out->Write(data.data(), static_cast<int64_t>(data.size())).ok());
  ASSERT_TRUE(out->Close().ok());
  EXPECT_EQ(s3_.aborted, 1);
  EXPECT_TRUE(s3_.uploads.empty());
  EXPECT_TRUE(s3_.objects.at("t/once.bin") == data);
}

TEST_F(S3ClientTest, LogStoreListsDirectoriesAndRejectsOtherBuckets) {
  auto store = *MakeS3LogStore(Client());
  ASSERT_TRUE(store->PutIfAbsent("s3://bkt/t/_delta_log/00000000000000000000.json", "{}").ok());
  EXPECT_TRUE(store->PutIfAbsent("s3://bkt/t/_delta_log/00000000000000000000.json", "{}")
                  .IsAlreadyExists());
  ASSERT_TRUE(store->Put("s3://bkt/t/date=x/f.parquet", "pq").ok());
  auto entries = store->List("s3://bkt/t");
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 2u);
  for (const auto& e : *entries) EXPECT_TRUE(e.is_dir) << e.name;
  auto log = *store->List("s3://bkt/t/_delta_log");
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].name, "00000000000000000000.json");
  EXPECT_TRUE(store->List("s3://bkt/none")->empty());
  for (int v = 1; v <= 3; ++v) {
    ASSERT_TRUE(
        store
            ->PutIfAbsent("s3://bkt/t/_delta_log/0000000000000000000" + std::to_string(v) + ".json",
                          "{}")
            .ok());
  }
  int pages_before = s3_.list_pages;
  auto newer = store->ListFrom("s3://bkt/t/_delta_log", "00000000000000000001.json");
  ASSERT_TRUE(newer.ok()) << newer.status();
  ASSERT_EQ(newer->size(), 2u);
  EXPECT_EQ((*newer)[0].name, "00000000000000000002.json");
  EXPECT_EQ(s3_.list_pages, pages_before + 1);
  EXPECT_EQ(store->Stat("s3://bkt/t/date=x/f.parquet")->size, 2);
  EXPECT_TRUE(store->ReadFile("s3://other/t/x").status().IsInvalid());
  EXPECT_FALSE(store->ReadFile("s3://bkt/t/missing").ok());
}

TEST_F(S3ClientTest, DeltaTableOnS3AppendsAndReadsBack) {
  auto store = *MakeS3LogStore(Client());
  auto schema =
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("tag", arrow::utf8())});
  auto table = DeltaTable::Create("s3://bkt/lake/posts", *schema, {"tag"}, {}, store);
  ASSERT_TRUE(table.ok()) << table.status();
  for (int b = 0; b < 3; ++b) {
    arrow::Int64Builder ids;
    arrow::StringBuilder tags;
    for (int i = 0; i < 4; ++i) {
      ASSERT_TRUE(ids.Append(b * 10 + i).ok());
      ASSERT_TRUE(tags.Append(i % 2 ? "odd" : "a/b=c d%+").ok());  // Hive-escaped on S3 too
    }
    auto data = arrow::Table::Make(schema, {*ids.Finish(), *tags.Finish()});
    auto r = (*table)->Append(*data);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->version, b + 1);
  }
  auto reopened = DeltaTable::Open("s3://bkt/lake/posts", store);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  auto snapshot = (*reopened)->LoadSnapshot();
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  EXPECT_EQ(snapshot->version, 3);
  auto rows = Scan(*store, *snapshot, {});
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ((*rows)->num_rows(), 12);
  int odd = 0;
  auto tag_column = (*rows)->GetColumnByName("tag");
  for (const auto& chunk : tag_column->chunks()) {
    auto strings = std::static_pointer_cast<arrow::StringArray>(chunk);
    for (int64_t i = 0; i < strings->length(); ++i) {
      if (strings->GetString(i) == "odd")
        ++odd;
      else
        EXPECT_EQ(strings->GetString(i), "a/b=c d%+");
    }
  }
  EXPECT_EQ(odd, 6);
  EXPECT_TRUE(s3_.objects.count("lake/posts/_delta_log/00000000000000000003.json"));
}

}  // namespace
}  // namespace hashlake::lake
