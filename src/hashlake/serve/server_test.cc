#include "hashlake/serve/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "hashlake/serve/fake_dashboard_data.h"

namespace hashlake::serve {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A blocking loopback client on a raw socket, with a receive timeout so that a server bug
// fails the test instead of hanging it.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() { Close(); }

  bool connected() const { return connected_; }

  void Send(const std::string& data) {
    ASSERT_EQ(send(fd_, data.data(), data.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(data.size()));
  }

  // Reads until EOF (or the timeout); returns everything read.
  std::string ReadAll() {
    std::string out;
    char buf[65536];
    for (;;) {
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

  // Reads until `needle` has been seen `times` times in total, or the timeout. Returns
  // all data read so far.
  std::string ReadUntil(const std::string& needle, int times, std::chrono::seconds limit = 5s) {
    auto deadline = Clock::now() + limit;
    char buf[4096];
    while (Count(received_, needle) < times && Clock::now() < deadline) {
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      received_.append(buf, static_cast<size_t>(n));
    }
    return received_;
  }

  // Closes with a reset instead of a FIN, the rudest way a browser tab can go away.
  void Abort() {
    linger hard{1, 0};
    setsockopt(fd_, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    Close();
  }

  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  static int Count(const std::string& haystack, const std::string& needle) {
    int count = 0;
    for (size_t pos = haystack.find(needle); pos != std::string::npos;
         pos = haystack.find(needle, pos + needle.size())) {
      ++count;
    }
    return count;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string received_;
};

struct Response {
  int status = 0;
  std::string head;
  std::string body;

  std::string Header(const std::string& name) const {
    size_t pos = head.find("\r\n" + name + ": ");
    if (pos == std::string::npos) return "";
    pos += name.size() + 4;
    return head.substr(pos, head.find("\r\n", pos) - pos);
  }
};

Response Parse(const std::string& raw) {
  Response response;
  size_t end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.1 ", 0) != 0 || end == std::string::npos) return response;
  response.status = std::stoi(raw.substr(9, 3));
  response.head = raw.substr(0, end + 2);
  response.body = raw.substr(end + 4);
  return response;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(ServerOptions{}); }

  void StartServer(ServerOptions options) {
    if (server_) server_->Stop();
    options.port = 0;
    options.stream_interval = 100ms;
    auto server = Server::Make(options, data_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    ASSERT_TRUE(server_->Start().ok());
    ASSERT_NE(server_->port(), 0);
  }

  Response Request(const std::string& method, const std::string& target,
                   const std::string& extra_headers = "", const std::string& body = "") {
    Client client(server_->port());
    EXPECT_TRUE(client.connected());
    client.Send(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n" + extra_headers +
                "Connection: close\r\n\r\n" + body);
    return Parse(client.ReadAll());
  }

  Response Get(const std::string& target) { return Request("GET", target); }

  bool WaitForStreams(int64_t expected, std::chrono::seconds limit = 5s) {
    auto deadline = Clock::now() + limit;
    while (server_->stream_clients() != expected && Clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
    }
    return server_->stream_clients() == expected;
  }

  FakeDashboardData data_;
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, Health) {
  Response response = Get("/api/health");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("Content-Type"), "application/json");
  EXPECT_NE(response.body.find("\"status\":\"ok\""), std::string::npos) << response.body;
  EXPECT_NE(response.body.find("\"posts_ingested\":"), std::string::npos);
  EXPECT_NE(response.body.find("\"tables\":{\"hashtag_counts\":"), std::string::npos);
}

TEST_F(ServerTest, TopHashtags) {
  Response response = Get("/api/top-hashtags?window=1m&k=5");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(Client::Count(response.body, "\"hashtag\":"), 5) << response.body;
  EXPECT_NE(response.body.find("\"window_seconds\":60,"), std::string::npos) << response.body;
  EXPECT_EQ(response.body.rfind("{\"window_start\":\"20", 0), 0u) << response.body;
}

TEST_F(ServerTest, BadQueriesAre400WithAMessage) {
  struct Case {
    const char* query;
    const char* body;
  };
  for (const Case& c : {
           Case{"k=abc", "{\"error\":\"k must be an integer in 1..100, got 'abc'\"}"},
           Case{"k=101", "{\"error\":\"k must be an integer in 1..100, got '101'\"}"},
           Case{"window=soon",
                "{\"error\":\"window must be a duration such as 30s, 1m, 5m, 1h or 1m30s, got "
                "'soon'\"}"},
           Case{"window=1m&sort=asc",
                "{\"error\":\"unknown query parameter 'sort' (allowed: window, k)\"}"},
       }) {
    Response response = Get(std::string("/api/top-hashtags?") + c.query);
    EXPECT_EQ(response.status, 400) << c.query;
    EXPECT_EQ(response.Header("Content-Type"), "application/json");
    EXPECT_EQ(response.body, c.body);
  }
}

TEST_F(ServerTest, UnknownPathIs404AndNonGetIs405) {
  EXPECT_EQ(Get("/no/such/file.js").status, 404);
  EXPECT_EQ(Get("/api/nothing").status, 404);
  Response post = Request("POST", "/api/health", "Content-Length: 2\r\n", "{}");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.Header("Allow"), "GET");
}

TEST_F(ServerTest, ServesTheEmbeddedDashboard) {
  Response index = Get("/");
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(index.body.find("<title>hashlake — live</title>"), std::string::npos);
  EXPECT_EQ(index.body, Get("/index.html").body);
  std::string etag = index.Header("ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(Request("GET", "/", "If-None-Match: " + etag + "\r\n").status, 304);

  Response script = Get("/app.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_GT(script.body.size(), 10'000u);
  EXPECT_EQ(std::to_string(script.body.size()), script.Header("Content-Length"));
  EXPECT_EQ(Get("/app.css").Header("Content-Type"), "text/css; charset=utf-8");
}

TEST_F(ServerTest, KeepAliveServesRequestsInTurn) {
  Client client(server_->port());
  client.Send("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n"
              "GET /api/top-hashtags?k=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::string all = client.ReadAll();
  EXPECT_EQ(Client::Count(all, "HTTP/1.1 200 OK"), 2) << all;
}

TEST_F(ServerTest, MalformedRequestIs400) {
  Client client(server_->port());
  client.Send("this is not http\r\n\r\n");
  EXPECT_EQ(Parse(client.ReadAll()).status, 400);
}

TEST_F(ServerTest, StreamSendsTopEventsAndSurvivesAnAbruptDisconnect) {
  {
    Client client(server_->port());
    client.Send("GET /api/stream?window=30s&k=3 HTTP/1.1\r\nHost: x\r\n\r\n");
    std::string data = client.ReadUntil("event: top\n", 2);
    ASSERT_GE(Client::Count(data, "event: top\n"), 2) << data;
    Response head = Parse(data);
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.Header("Content-Type"), "text/event-stream");
    EXPECT_EQ(head.body.rfind("retry: 2000\n\n", 0), 0u) << head.body;
    EXPECT_NE(data.find("data: {\"window_start\":"), std::string::npos);
    EXPECT_NE(data.find("event: health\ndata: {\"status\":\"ok\""), std::string::npos);
    EXPECT_EQ(server_->stream_clients(), 1);
    client.Abort();
  }
  EXPECT_TRUE(WaitForStreams(0)) << server_->stream_clients();
  EXPECT_EQ(Get("/api/health").status, 200);
}

TEST_F(ServerTest, StreamPushesNewsAtOnceNotOnItsNextTick) {
  ServerOptions options;
  StartServer(options);  // sets the tick to 100 ms; make it long instead
  server_->Stop();
  options.port = 0;
  options.stream_interval = 30s;
  options.stream_news_check = 20ms;
  auto server = Server::Make(options, data_);
  ASSERT_TRUE(server.ok());
  server_ = std::move(*server);
  ASSERT_TRUE(server_->Start().ok());
  Client client(server_->port());
  client.Send("GET /api/stream HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(Client::Count(client.ReadUntil("event: top\n", 1), "event: top\n"), 1);
  const int64_t calls = data_.top_calls();
  data_.AddNews();
  const auto sent = Clock::now();
  ASSERT_EQ(Client::Count(client.ReadUntil("event: top\n", 2), "event: top\n"), 2);
  EXPECT_LT(Clock::now() - sent, 2s);  // the tick is 30 s away
  EXPECT_GT(data_.top_calls(), calls);
}

TEST_F(ServerTest, StreamSendsKeepAliveComments) {
  ServerOptions options;
  options.stream_keepalive = 50ms;
  StartServer(options);
  Client client(server_->port());
  client.Send("GET /api/stream HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_GE(Client::Count(client.ReadUntil(": keep-alive\n\n", 2), ": keep-alive\n\n"), 2);
}

TEST_F(ServerTest, ManyStreamClients) {
  constexpr int kClients = 40;
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<Client>(server_->port()));
    clients.back()->Send("GET /api/stream?k=2 HTTP/1.1\r\nHost: x\r\n\r\n");
  }
  for (auto& client : clients) {
    EXPECT_GE(Client::Count(client->ReadUntil("event: top\n", 2), "event: top\n"), 2);
  }
  EXPECT_EQ(server_->stream_clients(), kClients);
  // Half leave politely, half rudely.
  for (int i = 0; i < kClients; ++i) {
    if (i % 2 == 0) {
      clients[static_cast<size_t>(i)]->Close();
    } else {
      clients[static_cast<size_t>(i)]->Abort();
    }
  }
  EXPECT_TRUE(WaitForStreams(0)) << server_->stream_clients();
}

TEST_F(ServerTest, StreamLimitIs503) {
  ServerOptions options;
  options.max_stream_clients = 1;
  StartServer(options);
  Client first(server_->port());
  first.Send("GET /api/stream HTTP/1.1\r\nHost: x\r\n\r\n");
  first.ReadUntil("event: top\n", 1);
  Client second(server_->port());
  second.Send("GET /api/stream HTTP/1.1\r\nHost: x\r\n\r\n");
  Response refused = Parse(second.ReadAll());
  EXPECT_EQ(refused.status, 503);
  EXPECT_NE(refused.body.find("too many live streams"), std::string::npos);
}

TEST_F(ServerTest, StreamReportsDataFailuresAndRecovers) {
  data_.set_failing(true);
  Client client(server_->port());
  client.Send("GET /api/stream HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string data = client.ReadUntil("event: failure\n", 1);
  EXPECT_NE(data.find("fake data set to fail"), std::string::npos) << data;
  data_.set_failing(false);
  EXPECT_GE(Client::Count(client.ReadUntil("event: top\n", 1), "event: top\n"), 1);
  EXPECT_EQ(Get("/api/top-hashtags").status, 200);
}

TEST_F(ServerTest, StopWithLiveStreamsReturnsPromptly) {
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(std::make_unique<Client>(server_->port()));
    clients.back()->Send("GET /api/stream HTTP/1.1\r\nHost: x\r\n\r\n");
    clients.back()->ReadUntil("event: top\n", 1);
  }
  ASSERT_EQ(server_->stream_clients(), 5);
  auto start = Clock::now();
  server_->Stop();
  EXPECT_LT(Clock::now() - start, 2s);
  EXPECT_EQ(server_->stream_clients(), 0);
  // The clients see their streams end.
  for (auto& client : clients) client->ReadAll();
  EXPECT_FALSE(Client(server_->port()).connected());
  server_->Stop();  // idempotent
  EXPECT_FALSE(server_->Start().ok());
}

TEST(ServerMakeTest, RejectsBadOptions) {
  FakeDashboardData data;
  ServerOptions options;
  options.bind_address = "localhost:80";
  EXPECT_FALSE(Server::Make(options, data).ok());
  options = ServerOptions{};
  options.threads = 0;
  EXPECT_FALSE(Server::Make(options, data).ok());
}

TEST(ServerMakeTest, PortInUseIsAnError) {
  FakeDashboardData data;
  ServerOptions options;
  options.port = 0;
  auto first = Server::Make(options, data);
  ASSERT_TRUE(first.ok());
  options.port = (*first)->port();
  auto second = Server::Make(options, data);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("cannot listen on 127.0.0.1:"), std::string::npos);
}

}  // namespace
}  // namespace hashlake::serve
