// XStreamSource and MastodonSource against the scripted in-process server: framing,
// reconnect schedules on an injected clock, stalls, fatal credentials, dedup, SSE resume.
// (Replays of the real captured payloads run in tests/integration/test_live_sources.py.)

#include <gtest/gtest.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "hashlake/source/bluesky_source.h"
#include "hashlake/source/mastodon_source.h"
#include "hashlake/source/test_server_internal.h"
#include "hashlake/source/test_util_internal.h"
#include "hashlake/source/x_stream_source.h"

namespace hashlake::source {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::Chunk;
using testing::ChunkedHead;
using testing::Response;
using testing::ScriptedHttpServer;
using testing::ScriptedReply;

std::string Tweet(const std::string& id, const std::string& text) {
  return R"({"data":{"id":")" + id + R"(","text":")" + text +
         R"(","author_id":"9","created_at":"2024-05-01T12:00:00.000Z","lang":"en"},)"
         R"("includes":{"users":[{"id":"9","username":"alice","location":"Lyon"}]},)"
         R"("matching_rules":[{"id":"1","tag":"t"}]})";
}

/// Records ConnectionEvents (thread-safe) and polls a source until a condition holds.
struct Harness {
  std::mutex mu;
  std::vector<ConnectionEvent> events;
  std::vector<Record> records;
  arrow::Status last_status;

  LiveOptions Live(const Clock* clock, Sleeper* sleeper) {
    LiveOptions live;
    live.clock = clock;
    live.sleeper = sleeper;
    live.timeouts.connect = seconds(5);
    live.on_event = [this](const ConnectionEvent& e) {
      std::lock_guard lock(mu);
      events.push_back(e);
    };
    return live;
  }
  std::vector<ConnectionEvent> Events(ConnectionEvent::Kind kind) {
    std::lock_guard lock(mu);
    std::vector<ConnectionEvent> out;
    for (const auto& e : events) {
      if (e.kind == kind) out.push_back(e);
    }
    return out;
  }
  template <class Pred>
  bool PollUntil(Source* source, Pred done, seconds limit = seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      last_status = source->Poll(&records, 100, milliseconds(20));
      if (!last_status.ok()) return done();
    }
    return done();
  }
};

TEST(XStreamSourceTest, MissingTokenNamesTheVariable) {
  ::unsetenv(kXBearerTokenEnv);
  auto made = XStreamSource::Make({});
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.status().message(),
            "X_BEARER_TOKEN is not set: export your X app's bearer token in it");
}

TEST(XStreamSourceTest, RequestsTheDocumentedFieldsWithTheToken) {
  ScriptedHttpServer server([](int, const std::string&) {
    return ScriptedReply{ChunkedHead() + Chunk(Tweet("100", "hi #Lyon") + "\r\n") + "0\r\n\r\n"};
  });
  XStreamOptions options;
  options.base_url = server.base_url();
  options.bearer_token = "secret";
  auto source = XStreamSource::Make(options);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  Harness h;
  ASSERT_TRUE(h.PollUntil(source->get(), [&] { return !h.records.empty(); }));
  const std::string request = server.requests().at(0);
  EXPECT_NE(request.find("GET /2/tweets/search/stream?expansions=author_id%2Cgeo.place_id%2C"
                         "referenced_tweets.id&tweet.fields=created_at%2Clang%2Centities%2Cgeo%2C"
                         "public_metrics%2Creferenced_tweets"),
            std::string::npos)
      << request;
  EXPECT_NE(request.find("user.fields=username%2Cname%2Clocation"), std::string::npos);
  EXPECT_NE(request.find("place.fields=country_code%2Cfull_name%2Cgeo"), std::string::npos);
  EXPECT_NE(request.find("Authorization: Bearer secret\r\n"), std::string::npos);
  const auto posts = testing::Posts(h.records);
  ASSERT_EQ(posts.size(), 1u);
  EXPECT_EQ(posts[0].id, "100");
  EXPECT_EQ(posts[0].author_handle, "alice");
  EXPECT_EQ(posts[0].hashtags, (std::vector<std::string>{"lyon"}));
}

TEST(XStreamSourceTest, FramingKeepAlivesCutMessagesDisconnectsAndDuplicates) {
  // Connection 0: messages cut across chunks, keep-alives, a malformed line, a duplicate,
  // then an operational-disconnect. Connection 1: one more post, then a message cut by
  // the server closing. Later connections: an empty healthy stream held open.
  const std::string t1 = Tweet("1", "one"), t2 = Tweet("2", "two"), t3 = Tweet("3", "three");
  ScriptedHttpServer server([&](int i, const std::string&) {
    if (i == 0) {
      const std::string body = t1 + "\r\n\r\n" + t2 + "\r\n{\"data\": oops}\r\n\r\n" + t1 + "\r\n" +
                               R"({"errors":[{"title":"operational-disconnect",)"
                               R"("disconnect_type":"UpstreamOperationalDisconnect",)"
                               R"("detail":"This stream has been disconnected upstream."}]})" +
                               "\r\n";
      std::string chunks = ChunkedHead();
      for (std::size_t at = 0; at < body.size(); at += 37) chunks += Chunk(body.substr(at, 37));
      return ScriptedReply{chunks, milliseconds(3000)};  // the client hangs up first
    }
    if (i == 1) return ScriptedReply{ChunkedHead() + Chunk(t3 + "\r\n" + t1.substr(0, 30))};
    return ScriptedReply{ChunkedHead() + Chunk("\r\n"), milliseconds(3000)};
  });
  ManualClock clock(FromMicros(1'700'000'000'000'000));
  ManualClockSleeper sleeper(&clock);
  Harness h;
  XStreamOptions options;
  options.base_url = server.base_url();
  options.bearer_token = "t";
  options.live = h.Live(&clock, &sleeper);
  auto made = XStreamSource::Make(options);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  XStreamSource* source = made->get();
  ASSERT_TRUE(
      h.PollUntil(source, [&] { return h.records.size() >= 5 && sleeper.slept().size() >= 2; }));
  const auto posts = testing::Posts(h.records);
  std::vector<std::string> ids;
  for (const Post& p : posts) ids.push_back(p.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "2", "3"}));
  const auto rejects = testing::Rejects(h.records);
  ASSERT_EQ(rejects.size(), 2u);
  EXPECT_NE(rejects[0].reason.find("invalid JSON"), std::string::npos) << rejects[0].reason;
  EXPECT_NE(rejects[1].reason.find("truncated"), std::string::npos) << rejects[1].reason;
  const LiveStats stats = source->live_stats();
  EXPECT_EQ(stats.duplicates, 1u);
  EXPECT_EQ(stats.truncated, 1u);
  EXPECT_GE(stats.keepalives, 2u);
  // Both drops of established streams reconnect at once: no time passed.
  for (Micros d : sleeper.slept()) EXPECT_EQ(d, Micros{0});
  EXPECT_GE(sleeper.slept().size(), 2u);
}

TEST(XStreamSourceTest, ReconnectScheduleFollowsTheDocsOnTheInjectedClock) {
  // 503 x3, 429 x2, a healthy stream that ends, 503 again (schedules reset), then a
  // stream held open.
  ScriptedHttpServer server([](int i, const std::string&) {
    if (i < 3 || i == 6) return ScriptedReply{Response(503, R"({"title":"Service Unavailable"})")};
    if (i < 5) return ScriptedReply{Response(429, R"({"title":"Too Many Requests"})")};
    if (i == 5) return ScriptedReply{ChunkedHead() + Chunk(Tweet("5", "x") + "\r\n") + "0\r\n\r\n"};
    return ScriptedReply{ChunkedHead() + Chunk(Tweet("7", "y") + "\r\n"), milliseconds(3000)};
  });
  const Timestamp t0 = FromMicros(1'700'000'000'000'000);
  ManualClock clock(t0);
  ManualClockSleeper sleeper(&clock);
  Harness h;
  XStreamOptions options;
  options.base_url = server.base_url();
  options.bearer_token = "t";
  options.live = h.Live(&clock, &sleeper);
  auto made = XStreamSource::Make(options);
  ASSERT_TRUE(made.ok());
  ASSERT_TRUE(h.PollUntil(made->get(), [&] { return testing::Posts(h.records).size() == 2; }));
  const std::vector<Micros> want = {seconds(5),   seconds(10), seconds(20), seconds(60),
                                    seconds(120), Micros{0},   seconds(5)};
  EXPECT_EQ(sleeper.slept(), want);
  // Each attempt happened exactly when the schedule says, on the injected clock.
  const auto attempts = h.Events(ConnectionEvent::Kind::kAttempt);
  ASSERT_GE(attempts.size(), 8u);
  Timestamp at = t0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(attempts[i].at, at) << "attempt " << i;
    at += want[i];
  }
  EXPECT_EQ(attempts[7].at, at);
  const LiveStats stats = (*made)->live_stats();
  EXPECT_EQ(stats.http_errors, 6u);
  EXPECT_EQ(stats.rate_limited, 2u);
}

TEST(XStreamSourceTest, NetworkErrorsBackOffLinearly) {
  uint16_t port;
  {
    ScriptedHttpServer closed([](int, const std::string&) { return ScriptedReply{}; });
    port = closed.port();
  }  // nothing listens there any more
  ManualClock clock(FromMicros(0));
  ManualClockSleeper sleeper(&clock);
  Harness h;
  XStreamOptions options;
  options.base_url = "http://127.0.0.1:" + std::to_string(port);
  options.bearer_token = "t";
  options.live = h.Live(&clock, &sleeper);
  auto made = XStreamSource::Make(options);
  ASSERT_TRUE(made.ok());
  const auto deadline = std::chrono::steady_clock::now() + seconds(20);
  while (sleeper.slept().size() < 6 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  (*made)->Stop();
  const auto slept = sleeper.slept();
  ASSERT_GE(slept.size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(slept[i], milliseconds(250) * (i + 1)) << i;
  EXPECT_GE((*made)->live_stats().network_errors, 6u);
}

TEST(XStreamSourceTest, UnauthorizedIsFatalAndNamesTheToken) {
  ScriptedHttpServer server([](int, const std::string&) {
    return ScriptedReply{Response(
        401,
        R"({"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"})")};
  });
  ManualClock clock(FromMicros(0));
  ManualClockSleeper sleeper(&clock);
  Harness h;
  XStreamOptions options;
  options.base_url = server.base_url();
  options.bearer_token = "bad";
  options.live = h.Live(&clock, &sleeper);
  auto made = XStreamSource::Make(options);
  ASSERT_TRUE(made.ok());
  ASSERT_TRUE(h.PollUntil(made->get(), [&] { return !h.last_status.ok(); }));
  EXPECT_TRUE(h.last_status.IsInvalid());
  EXPECT_NE(h.last_status.message().find("HTTP 401"), std::string::npos);
  EXPECT_NE(h.last_status.message().find("X_BEARER_TOKEN"), std::string::npos);
  EXPECT_EQ(h.last_status.message().find('\n'), std::string::npos);
  EXPECT_TRUE((*made)->Finished());
  EXPECT_EQ((*made)->live_stats().attempts, 1u);
  EXPECT_TRUE(sleeper.slept().empty());
}

TEST(XStreamSourceTest, StalledStreamIsDetectedAndReconnected) {
  ScriptedHttpServer server([](int i, const std::string&) {
    return ScriptedReply{ChunkedHead() + Chunk(Tweet(std::to_string(i + 1), "x") + "\r\n"),
                         milliseconds(2000)};
  });
  Harness h;
  XStreamOptions options;
  options.base_url = server.base_url();
  options.bearer_token = "t";
  options.live = h.Live(nullptr, nullptr);
  options.live.timeouts.idle = milliseconds(200);
  auto made = XStreamSource::Make(options);
  ASSERT_TRUE(made.ok());
  ASSERT_TRUE(h.PollUntil(made->get(), [&] { return h.records.size() >= 2; }));
  EXPECT_GE((*made)->live_stats().stalls, 1u);
  const auto ended = h.Events(ConnectionEvent::Kind::kEnded);
  ASSERT_FALSE(ended.empty());
  EXPECT_EQ(ended[0].end, StreamEnd::kStalled);
}

TEST(XStreamSourceTest, StopEndsABlockedStreamPromptly) {
  ScriptedHttpServer server([](int, const std::string&) {
    return ScriptedReply{ChunkedHead() + Chunk("\r\n"), milliseconds(5000)};
  });
  XStreamOptions options;
  options.base_url = server.base_url();
  options.bearer_token = "t";
  auto made = XStreamSource::Make(options);
  ASSERT_TRUE(made.ok());
  std::this_thread::sleep_for(milliseconds(100));
  const auto start = std::chrono::steady_clock::now();
  (*made)->Stop();
  made->reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(2));
}

TEST(MastodonSourceTest, UpdatesBecomePostsDeletesAreCountedAndResumeSendsLastEventId) {
  const std::string status =
      R"({"id":"111","created_at":"2022-11-01T10:00:00.000Z","language":"en",)"
      R"("content":"<p>hello <a href=\"x\">#<span>Fediverse</span></a></p>",)"
      R"("tags":[{"name":"fediverse"}],"account":{"id":"5","acct":"bob"}})";
  const std::string status2 =
      R"({"id":"112","created_at":"2022-11-01T10:00:01.000Z","language":"de",)"
      R"("content":"<p>zwei</p>","tags":[],"account":{"id":"6","acct":"eve"}})";
  ScriptedHttpServer server([&](int i, const std::string&) {
    if (i == 0) {
      return ScriptedReply{ChunkedHead("text/event-stream") +
                           Chunk(":)\n\nid: 7\nevent: update\ndata: " + status +
                                 "\n\n:thump\n\nevent: delete\ndata: 99\n\n"
                                 "event: update\ndata: {\"id\":\"1")};
    }
    return ScriptedReply{ChunkedHead("text/event-stream") + Chunk("event: update\ndata: " + status +
                                                                  "\n\nid: 8\nevent: update\n"
                                                                  "data: " +
                                                                  status2 + "\n\n"),
                         milliseconds(3000)};
  });
  ManualClock clock(FromMicros(0));
  ManualClockSleeper sleeper(&clock);
  Harness h;
  MastodonOptions options;
  options.instance_url = server.base_url();
  options.stream = "hashtag";
  options.tag = "#Fediverse";
  options.access_token = "tok";
  options.live = h.Live(&clock, &sleeper);
  auto made = MastodonSource::Make(options);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  ASSERT_TRUE(h.PollUntil(made->get(), [&] { return testing::Posts(h.records).size() >= 2; }));
  const auto posts = testing::Posts(h.records);
  ASSERT_EQ(posts.size(), 2u);
  EXPECT_EQ(posts[0].id, "111");
  EXPECT_EQ(posts[0].text, "hello #Fediverse");
  EXPECT_EQ(posts[1].id, "112");
  const auto rejects = testing::Rejects(h.records);
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_NE(rejects[0].reason.find("truncated SSE event 'update'"), std::string::npos);
  const LiveStats stats = (*made)->live_stats();
  EXPECT_EQ(stats.deletes, 1u);
  EXPECT_EQ(stats.duplicates, 1u);  // 111 again after the resume
  EXPECT_EQ(stats.keepalives, 2u);
  const auto requests = server.requests();
  ASSERT_GE(requests.size(), 2u);
  EXPECT_EQ(requests[0].rfind("GET /api/v1/streaming/hashtag?tag=Fediverse HTTP/1.1", 0), 0u)
      << requests[0];
  EXPECT_NE(requests[0].find("Authorization: Bearer tok"), std::string::npos);
  EXPECT_EQ(requests[0].find("Last-Event-ID"), std::string::npos);
  EXPECT_NE(requests[1].find("Last-Event-ID: 7\r\n"), std::string::npos) << requests[1];
}

TEST(MastodonSourceTest, BadOptionsAndUnauthorized) {
  MastodonOptions options;
  options.stream = "home";
  EXPECT_TRUE(MastodonSource::Make(options).status().IsInvalid());
  options.stream = "hashtag";
  EXPECT_TRUE(MastodonSource::Make(options).status().IsInvalid());  // no tag

  ScriptedHttpServer server([](int, const std::string&) {
    return ScriptedReply{
        Response(401, R"({"error":"This method requires an authenticated user"})")};
  });
  ::unsetenv(kMastodonTokenEnv);
  options.stream = "public:local";
  options.instance_url = server.base_url();
  Harness h;
  auto made = MastodonSource::Make(options);
  ASSERT_TRUE(made.ok());
  ASSERT_TRUE(h.PollUntil(made->get(), [&] { return !h.last_status.ok(); }));
  EXPECT_NE(h.last_status.message().find("MASTODON_TOKEN (none is set)"), std::string::npos)
      << h.last_status.message();
  EXPECT_EQ(server.requests().at(0).rfind("GET /api/v1/streaming/public/local HTTP/1.1", 0), 0u);
}

/// A WebSocket server for one test: connection i gets the handshake target recorded and
/// `script(i, target)` messages sent, then the TCP connection dropped, or held when the
/// script says so.
class ScriptedWebSocketServer {
 public:
  struct Reply {
    std::vector<std::string> messages;
    bool hold = false;
  };
  using Script = std::function<Reply(int, const std::string&)>;

  explicit ScriptedWebSocketServer(Script script)
      : script_(std::move(script)),
        acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { Serve(); });
  }
  ~ScriptedWebSocketServer() {
    stop_ = true;
    boost::system::error_code ec;
    boost::asio::io_context wake;
    boost::asio::ip::tcp::socket s(wake);
    s.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  std::string url() const {
    return "ws://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/subscribe";
  }
  std::vector<std::string> targets() const {
    std::lock_guard lock(mu_);
    return targets_;
  }

 private:
  void Serve() {
    namespace beast = boost::beast;
    for (int i = 0; !stop_; ++i) {
      boost::asio::ip::tcp::socket socket(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stop_) return;
      beast::flat_buffer buffer;
      beast::http::request<beast::http::string_body> request;
      beast::http::read(socket, buffer, request, ec);
      if (ec) continue;
      const std::string target(request.target());
      {
        std::lock_guard lock(mu_);
        targets_.push_back(target);
      }
      beast::websocket::stream<boost::asio::ip::tcp::socket> ws(std::move(socket));
      ws.accept(request, ec);
      if (ec) continue;
      Reply reply = script_(i, target);
      for (const std::string& m : reply.messages) ws.write(boost::asio::buffer(m), ec);
      while (reply.hold && !stop_) std::this_thread::sleep_for(milliseconds(5));
      beast::get_lowest_layer(ws).close(ec);  // a drop: no close frame
    }
  }

  Script script_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<std::string> targets_;
};

std::string JetstreamPost(int i) {
  const int64_t time_us = 1'725'000'000'000'000 + int64_t{i} * 1'000'000;
  return R"({"did":"did:plc:abc","time_us":)" + std::to_string(time_us) +
         R"(,"kind":"commit","commit":{"rev":"r)" + std::to_string(i) +
         R"(","operation":"create","collection":"app.bsky.feed.post","rkey":"k)" +
         std::to_string(i) +
         R"(","record":{"$type":"app.bsky.feed.post","createdAt":"2024-08-30T06:40:0)" +
         std::to_string(i) + R"(.000Z","text":"post )" + std::to_string(i) +
         R"(","langs":["en"]},"cid":"c"}})";
}

TEST(BlueskySourceTest, ResumesFromTheCursorMinusOverlapAndDropsTheReplayedEvents) {
  // Events 1..5 are one second apart. Connection 0 sends 1..3 and drops; later
  // connections send every event at or after their cursor, as Jetstream does.
  ScriptedWebSocketServer server([](int i, const std::string& target) {
    ScriptedWebSocketServer::Reply reply;
    int64_t cursor = 0;
    if (auto at = target.find("cursor="); at != std::string::npos) {
      cursor = std::stoll(target.substr(at + 7));
    }
    for (int e = 1; e <= 5; ++e) {
      if (i == 0 && e > 3) break;
      if (1'725'000'000'000'000 + int64_t{e} * 1'000'000 >= cursor) {
        reply.messages.push_back(JetstreamPost(e));
      }
    }
    reply.hold = i > 0;
    return reply;
  });
  ManualClock clock(FromMicros(0));
  ManualClockSleeper sleeper(&clock);
  Harness h;
  BlueskyOptions options;
  options.url = server.url();
  options.wanted_dids = {"did:plc:abc"};
  options.live = h.Live(&clock, &sleeper);
  auto made = BlueskySource::Make(options);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  ASSERT_TRUE(h.PollUntil(made->get(), [&] { return h.records.size() >= 5; }));
  std::this_thread::sleep_for(milliseconds(100));  // nothing more may come
  h.last_status = (*made)->Poll(&h.records, 100, milliseconds(50));
  std::vector<std::string> ids;
  for (const Post& p : testing::Posts(h.records)) ids.push_back(p.id);
  std::vector<std::string> want;
  for (int e = 1; e <= 5; ++e)
    want.push_back("at://did:plc:abc/app.bsky.feed.post/k" + std::to_string(e));
  EXPECT_EQ(ids, want);
  const LiveStats stats = (*made)->live_stats();
  EXPECT_EQ(stats.duplicates, 3u);  // events 1..3: at or after event 3's time minus 2 s
  EXPECT_EQ(stats.cursor_us, 1'725'000'005'000'000);
  const auto targets = server.targets();
  ASSERT_GE(targets.size(), 2u);
  EXPECT_EQ(targets[0],
            "/subscribe?wantedCollections=app.bsky.feed.post&wantedDids=did%3Aplc%3Aabc");
  EXPECT_EQ(targets[1], targets[0] + "&cursor=1725000001000000");  // event 3 minus 2 s
  EXPECT_EQ(sleeper.slept(), (std::vector<Micros>{Micros{0}}));
}

TEST(BlueskySourceTest, RefusesBadOptions) {
  BlueskyOptions options;
  options.url = "https://jetstream2.us-east.bsky.network/subscribe";
  EXPECT_TRUE(BlueskySource::Make(options).status().IsInvalid());
  options.url = "wss://x/subscribe";
  options.resume_overlap = Micros{-1};
  EXPECT_TRUE(BlueskySource::Make(options).status().IsInvalid());
}

}  // namespace
}  // namespace hashlake::source
