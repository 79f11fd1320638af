#include "hashlake/core/logging.h"

#include <mutex>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "hashlake/core/json_writer.h"

namespace hashlake {
namespace {

constexpr const char* kTextPattern = "%Y-%m-%dT%H:%M:%S.%fZ %^%-5l%$ [%n] %v";
// JSON lines: %* is the message as a JSON string (quotes and control bytes escaped).
constexpr const char* kJsonPattern =
    R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","module":"%n","msg":%*})";

class JsonMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string quoted;
    AppendJsonString(&quoted, std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(quoted.data(), quoted.data() + quoted.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

void ApplyPattern(spdlog::logger& logger, const std::string& pattern) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<JsonMessageFlag>('*').set_pattern(pattern);
  logger.set_formatter(std::move(formatter));
}


struct LoggingState {
  std::mutex mu;
  spdlog::level::level_enum level = spdlog::level::info;
  std::string pattern = kTextPattern;
  spdlog::sink_ptr sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
};

LoggingState& State() {
  static LoggingState state;
  return state;
}

}  // namespace

arrow::Status ConfigureLogging(std::string_view level, std::string_view format) {
  auto& state = State();
  std::lock_guard lock(state.mu);
  const auto parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") {
    return arrow::Status::Invalid("log.level: unknown level '", level,
                                  "' (allowed: trace, debug, info, warn, error, off)");
  }
  if (format != "text" && format != "json") {
    return arrow::Status::Invalid("log.format: unknown format '", format,
                                  "' (allowed: text, json)");
  }
  state.level = parsed;
  state.pattern = format == "json" ? kJsonPattern : kTextPattern;
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& logger) {
    logger->set_level(state.level);
    ApplyPattern(*logger, state.pattern);
  });
  return arrow::Status::OK();
}

std::shared_ptr<spdlog::logger> Logger(const std::string& module) {
  auto& state = State();
  std::lock_guard lock(state.mu);
  if (auto existing = spdlog::get(module)) return existing;
  auto logger = std::make_shared<spdlog::logger>(module, state.sink);
  logger->set_level(state.level);
  ApplyPattern(*logger, state.pattern);
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace hashlake
