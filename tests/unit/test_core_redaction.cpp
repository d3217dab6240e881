// Credentials in a hub URL never reach what people and scripts read: the banner's reasons and
// window.vigil show `***` for a token= value and for user:password@.
#include <doctest/doctest.h>

#include <string>

#include "core/redaction.h"
#include "fakes/link_harness.h"

using namespace vigil::core;
using namespace vigil::core::testing;

TEST_CASE("a token= or access_token= value and a user:password@ become ***, nothing else changes") {
    CHECK(redact_credentials("ws://hub:8080/ws") == "ws://hub:8080/ws");
    CHECK(redact_credentials("ws://hub:8080/ws?token=s3cret") == "ws://hub:8080/ws?token=***");
    CHECK(redact_credentials("ws://hub/ws?a=1&token=s3%23c&b=2") == "ws://hub/ws?a=1&token=***&b=2");
    CHECK(redact_credentials("ws://hub/ws?access_token=x#frag") == "ws://hub/ws?access_token=***#frag");
    CHECK(redact_credentials("ws://hub/ws?mytoken=keep&token=") == "ws://hub/ws?mytoken=keep&token=***");
    CHECK(redact_credentials("wss://ops:pa55@hub/ws") == "wss://***@hub/ws");
    CHECK(redact_credentials("ws://hub/ws?next=a@b") == "ws://hub/ws?next=a@b");  // an @ in the query is not userinfo
    CHECK(redact_credentials("not a url") == "not a url");
    // A message quoting the URL: the value ends at the quote, the rest of the text stays.
    CHECK(redact_credentials("remove \"#x?token=T0k\" from the hub URL") == "remove \"#x?token=***\" from the hub URL");
    CHECK(redact_credentials("Failed to construct 'WebSocket': The URL 'ws://h/ws?token=abc#f' is invalid.") ==
          "Failed to construct 'WebSocket': The URL 'ws://h/ws?token=***#f' is invalid.");
}

TEST_CASE("the link's reasons name the hub URL without its token, while the transport opens the real one") {
    LinkConfig config = test_config();
    config.url = "ws://hub.test/ws?token=s3cret";
    LinkHarness h(config);
    h.link->start();
    CHECK(h.net.socket(h.current()).url == "ws://hub.test/ws?token=s3cret");
    CHECK(h.link->status().reason.find("s3cret") == std::string::npos);
    CHECK(h.link->status().reason.find("token=***") != std::string::npos);
    h.net.accept(h.current());
    CHECK(h.link->state() == LinkState::Open);
    CHECK(h.link->status().reason.find("s3cret") == std::string::npos);
    h.link->set_url("http://bad?token=s3cret");  // refused by the transport: the failure names the URL
    CHECK(h.link->status().reason.find("s3cret") == std::string::npos);
}

TEST_CASE("a transport's error text that quotes the URL reaches the reason without the token") {
    struct QuotingTransport final : Transport {
        void set_listener(TransportListener*) override {}
        SocketId open(const std::string& url, const std::vector<std::string>&, std::string* error) override {
            *error = "SyntaxError: The URL '" + url + "' contains a fragment identifier";
            return 0;
        }
        bool send_text(SocketId, std::string_view) override { return false; }
        std::size_t buffered_amount(SocketId) const override { return 0; }
        void close(SocketId, int, std::string_view) override {}
    } transport;
    LinkConfig config = test_config();
    config.url = "ws://h/ws#x?token=s3cret";
    FakeScheduler scheduler;
    FakeRandom random;
    Link link(transport, scheduler, random, config);
    link.start();
    CHECK(link.status().reason.find("s3cret") == std::string::npos);
    CHECK(link.status().reason.find("contains a fragment identifier") != std::string::npos);
}
