// Test-only: serves the embedded dashboard over FakeDashboardData, for the browser test.
//   serve_fake_dashboard [port]     (default 0: a free port, printed on stdout)

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "hashlake/serve/fake_dashboard_data.h"
#include "hashlake/serve/server.h"

int main(int argc, char** argv) {
  using hashlake::serve::FakeDashboardData;
  using hashlake::serve::Server;
  using hashlake::serve::ServerOptions;
  ServerOptions options;
  options.port = 0;
  if (argc > 1) {
    char* end = nullptr;
    long port = std::strtol(argv[1], &end, 10);
    if (*end != '\0' || port < 0 || port > 65535) {
      std::fprintf(stderr, "usage: %s [port]\n", argv[0]);
      return 2;
    }
    options.port = static_cast<uint16_t>(port);
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  // Blocked before the server's threads start, so that only sigwait below sees them.
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  FakeDashboardData data;
  auto server = Server::Make(options, data);
  if (!server.ok()) {
    std::fprintf(stderr, "serve_fake_dashboard: %s\n", server.status().ToString().c_str());
    return 1;
  }
  if (auto status = (*server)->Start(); !status.ok()) {
    std::fprintf(stderr, "serve_fake_dashboard: %s\n", status.ToString().c_str());
    return 1;
  }
  std::printf("http://127.0.0.1:%u/\n", static_cast<unsigned>((*server)->port()));
  std::fflush(stdout);
  int signal = 0;
  sigwait(&signals, &signal);
  (*server)->Stop();
  return 0;
}
