// Previews on the wire: a samples frame with type "preview" and no seq, and the hello field a
// page asks for them with. Same strictness as samples; an old hub's view of hello is unchanged.
#include <doctest/doctest.h>

#include <string>

#include "protocol/decode.h"
#include "protocol/decode_reference.h"
#include "protocol/encode.h"

using namespace vigil::protocol;

namespace {

// A copy: the result is usually a temporary.
Rejection rejected(const DecodeResult& r) {
    const Rejection* e = rejection_of(r);
    REQUIRE_MESSAGE(e != nullptr, "accepted");
    CHECK_FALSE(e->message.empty());
    return *e;
}

const Samples kFrame{0, 1764138000000,
                     {HostSamples{"web-01", {{"cpu", 12.5}, {"mem", 41.0}}}, HostSamples{"db", {}}},
                     {HostDown{"db-02", "connection refused", 1764137990000}}};

}  // namespace

TEST_CASE("a preview round-trips through encode_preview and decode_hub_message") {
    const std::string text = encode_preview(kFrame);
    REQUIRE_FALSE(text.empty());
    const DecodeResult r = decode_hub_message(text);
    REQUIRE(std::holds_alternative<Preview>(r));
    CHECK(std::get<Preview>(r) == Preview{kFrame});
    // Exactly encode(Samples) without type and seq: the same frame, written by the same code.
    Samples stored = kFrame;
    stored.seq = 77;
    const std::string samples_text = encode(stored);
    const std::string samples_tail = samples_text.substr(samples_text.find(R"("t":)"));
    CHECK(text == R"({"type":"preview",)" + samples_tail);
    CHECK(text.find("seq") == std::string::npos);
    // The fast samples path does not take previews: both decoders agree.
    const DecodeResult dom = decode_hub_message_dom(text);
    REQUIRE(std::holds_alternative<Preview>(dom));
    CHECK(std::get<Preview>(dom) == std::get<Preview>(r));
}

TEST_CASE("a preview's seq is ignored, whatever it holds; frame.seq stays 0") {
    for (const char* seq : {R"("seq":5,)", R"("seq":"x",)", R"("seq":-1,)", ""}) {
        CAPTURE(seq);
        const DecodeResult r = decode_hub_message(std::string(R"({"type":"preview",)") + seq +
                                                  R"("t":9,"hosts":{"a":{"cpu":1}}})");
        REQUIRE(std::holds_alternative<Preview>(r));
        CHECK(std::get<Preview>(r).frame == Samples{0, 9, {HostSamples{"a", {{"cpu", 1.0}}}}});
    }
}

TEST_CASE("a bad preview is refused like a bad samples frame, naming the preview") {
    CHECK(rejected(decode_hub_message(R"({"type":"preview","hosts":{}})")).kind == RejectionKind::bad_field);
    CHECK(rejected(decode_hub_message(R"({"type":"preview","t":1})")).kind == RejectionKind::bad_field);
    const Rejection nan = rejected(decode_hub_message(R"({"type":"preview","t":1,"hosts":{"a":{"cpu":"hot"}}})"));
    CHECK(nan.kind == RejectionKind::bad_field);
    CHECK(nan.message.rfind("preview: ", 0) == 0);
    CHECK(rejected(decode_hub_message(R"({"type":"preview","t":1,"hosts":{},"down":{"h":{"since":1}}})")).kind ==
          RejectionKind::bad_field);
    DecodeLimits few;
    few.max_hosts = 1;
    CHECK(rejected(decode_hub_message(R"({"type":"preview","t":1,"hosts":{"a":{},"b":{}}})", few)).kind ==
          RejectionKind::too_big);
    // The samples frame keeps its own name in its messages.
    CHECK(rejected(decode_hub_message(R"({"type":"samples","seq":1,"t":1,"hosts":{"a":{"cpu":"hot"}}})"))
              .message.rfind("samples: ", 0) == 0);
}

TEST_CASE("hello.previews: sent only when true; absent or null is false; another type is refused") {
    Hello asks{1, "0.1.0", "c-1", ResumeCursor{"e-1", 4}, 600.0, true};
    const std::string text = encode(asks);
    CHECK(text.find(R"("previews":true)") != std::string::npos);
    const ClientDecodeResult r = decode_client_message(text);
    REQUIRE(std::holds_alternative<Hello>(r));
    CHECK(std::get<Hello>(r) == asks);
    CHECK_FALSE(std::get<Hello>(r) == Hello{1, "0.1.0", "c-1", ResumeCursor{"e-1", 4}, 600.0, false});

    CHECK(encode(Hello{}).find("previews") == std::string::npos);
    for (const char* absent : {R"({"type":"hello","v":1})", R"({"type":"hello","v":1,"previews":null})",
                               R"({"type":"hello","v":1,"previews":false})"}) {
        CAPTURE(absent);
        const ClientDecodeResult h = decode_client_message(absent);
        REQUIRE(std::holds_alternative<Hello>(h));
        CHECK_FALSE(std::get<Hello>(h).previews);
    }
    for (const char* wrong : {R"({"type":"hello","v":1,"previews":1})", R"({"type":"hello","v":1,"previews":"true"})",
                              R"({"type":"hello","v":1,"previews":{}})"}) {
        CAPTURE(wrong);
        const ClientDecodeResult h = decode_client_message(wrong);
        const Rejection* e = rejection_of(h);
        REQUIRE(e != nullptr);
        CHECK(e->kind == RejectionKind::bad_field);
    }
}

TEST_CASE("the preview and hello examples in PROTOCOL.md decode") {
    const DecodeResult p = decode_hub_message(R"({"type":"preview","t":1764138002000,"hosts":{"local":{"cpu":12.7,"mem":41.1}}})");
    REQUIRE(std::holds_alternative<Preview>(p));
    CHECK(std::get<Preview>(p).frame.t == 1764138002000);
    const ClientDecodeResult h = decode_client_message(R"({"type":"hello","v":1,"client":"c-5f3a9e","history_s":600,"previews":true})");
    REQUIRE(std::holds_alternative<Hello>(h));
    CHECK(std::get<Hello>(h).previews);
}
