// What atende sends to Meta's Graph API for an outbound record, and how it
// reads Meta's answers: request bodies equal Meta's documented requests
// (tests/fixtures/whatsapp/send_*.json); every error body of the fixtures
// is classified as Meta means it.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "gateways/graph_send.h"

namespace atende {
namespace {

using json = nlohmann::json;

std::string fixture(const std::string& name) {
  std::ifstream in{std::string{ATENDE_SOURCE_DIR} + "/tests/fixtures/whatsapp/" +
                   name};
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_FALSE(s.str().empty()) << name;
  return s.str();
}

json record_data(json extra) {
  json d = {{"channel", "wa-main"},
            {"phone_number_id", "220000000000001"},
            {"to", "5511987654321"},
            {"conversation", "c7"},
            {"message_id", "m42"}};
  d.update(extra);
  return d;
}

TEST(GraphSend, ATextReplyIsMetasTextRequestWithItsContext) {
  auto body = graph_message(record_data(
    {{"text", "Sentimos muito pela caixa amassada, Maria. Vamos enviar outra "
              "ainda hoje."},
     {"reply_to_provider_id",
      "wamid.HBgNNTUxMTk4NzY1NDMyMQFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNjU="}}));
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(*body, json::parse(fixture("send_text_request.json")));
}

TEST(GraphSend, ATemplateCarriesItsParametersAsBodyComponents) {
  auto body = graph_message(record_data(
    {{"text", "Olá Maria, sobre o pedido 4411: podemos continuar?"},
     {"template",
      {{"name", "retomada_atendimento"},
       {"language", "pt_BR"},
       {"params", {"Maria", "pedido 4411"}}}}}));
  ASSERT_TRUE(body);
  EXPECT_EQ(*body, json::parse(fixture("send_template_request.json")));
}

TEST(GraphSend, ATemplateWithoutParametersHasNoComponents) {
  auto body = graph_message(record_data(
    {{"text", "Oi"},
     {"template", {{"name", "boas_vindas"}, {"language", "pt_BR"},
                   {"params", json::array()}}}}));
  ASSERT_TRUE(body);
  EXPECT_FALSE((*body)["template"].contains("components"));
}

TEST(GraphSend, MediaGoesByMetasIdWithItsCaption) {
  auto d = record_data({{"to", "5511998765432"},
                        {"media",
                         {{"kind", "image"},
                          {"id", "1600000000000001"},
                          {"caption", "Etiqueta de devolução do pedido 4411"}}}});
  auto body = graph_message(d);
  ASSERT_TRUE(body);
  EXPECT_EQ(*body, json::parse(fixture("send_image_request.json")));
}

TEST(GraphSend, AReactionNamesTheMessageByMetasId) {
  auto body = graph_message(record_data(
    {{"reaction",
      {{"message_id",
        "wamid.HBgNNTUxMTk4NzY1NDMyMQFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwQzk="},
       {"emoji", "👍"}}}}));
  ASSERT_TRUE(body);
  EXPECT_EQ(*body, json::parse(fixture("send_reaction_request.json")));
}

TEST(GraphSend, ARecordWithoutRecipientIsRefusedNamingTheField) {
  auto d = record_data({{"text", "Oi"}});
  d.erase("to");
  auto body = graph_message(d);
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().field, "data.to");
}

TEST(GraphSend, AnAcceptedAnswerGivesMetasMessageId) {
  auto a = classify_answer(200, fixture("send_response.json"));
  EXPECT_EQ(a.k, send_answer::kind::accepted);
  EXPECT_EQ(a.wamid,
            "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjAwMDAwMDAwMDAwMDAwMDAwMQA=");
}

TEST(GraphSend, ASuccessWithoutMessageIdIsNotSentAgain) {
  auto a = classify_answer(200, R"({"messaging_product":"whatsapp"})");
  EXPECT_EQ(a.k, send_answer::kind::failed);
  EXPECT_EQ(a.code, "unreadable_answer");
}

struct error_case {
  const char* code;
  long http;
  send_answer::kind k;
};

TEST(GraphSend, EachMetaErrorIsRetriedOrFailedWithItsMeaning) {
  const error_case cases[] = {
    {"131047", 400, send_answer::kind::failed},
    {"131026", 400, send_answer::kind::failed},
    {"131051", 400, send_answer::kind::failed},
    {"132000", 400, send_answer::kind::failed},
    {"132012", 400, send_answer::kind::failed},
    {"131056", 429, send_answer::kind::failed},
    {"131048", 429, send_answer::kind::failed},
    {"132001", 404, send_answer::kind::failed},
    {"133010", 400, send_answer::kind::failed},
    {"190", 401, send_answer::kind::failed},
    {"100", 400, send_answer::kind::failed},
    {"130429", 429, send_answer::kind::retry},
    {"131000", 500, send_answer::kind::retry},
    {"131016", 503, send_answer::kind::retry},
  };
  for (const auto& c : cases) {
    auto a = classify_answer(
      c.http, fixture(std::string{"graph_error_"} + c.code + ".json"));
    EXPECT_EQ(a.k, c.k) << c.code;
    EXPECT_EQ(a.code, c.code);
    EXPECT_FALSE(a.title.empty()) << c.code;
    auto mine = failure_meaning(c.code);
    if (!mine.empty()) {
      EXPECT_EQ(a.title, mine) << c.code;
    }
  }
}

TEST(GraphSend, TheClosedWindowSaysSo) {
  auto a = classify_answer(400, fixture("graph_error_131047.json"));
  EXPECT_NE(a.title.find("24-hour window"), std::string::npos) << a.title;
}

TEST(GraphSend, AnyServerErrorOrHttp429IsRetriedEvenWithoutMetasBody) {
  EXPECT_EQ(classify_answer(502, "<html>Bad Gateway</html>").k,
            send_answer::kind::retry);
  EXPECT_EQ(classify_answer(502, "<html>Bad Gateway</html>").code, "http_502");
  EXPECT_EQ(classify_answer(429, "").k, send_answer::kind::retry);
  EXPECT_EQ(classify_answer(404, "").k, send_answer::kind::failed);
}

TEST(GraphSend, NoAnswerIsRetriedAndATimeOutIsMarked) {
  auto t = classify_transport(true, "Timeout was reached");
  EXPECT_EQ(t.k, send_answer::kind::retry);
  EXPECT_TRUE(t.timed_out);
  auto r = classify_transport(false, "Couldn't connect to server");
  EXPECT_EQ(r.k, send_answer::kind::retry);
  EXPECT_FALSE(r.timed_out);
}

TEST(GraphSend, RetriesBackOffDoublingUpToFiveMinutes) {
  EXPECT_EQ(retry_delay_ms(1, 1000), 1000u);
  EXPECT_EQ(retry_delay_ms(2, 1000), 2000u);
  EXPECT_EQ(retry_delay_ms(4, 1000), 8000u);
  EXPECT_EQ(retry_delay_ms(30, 1000), 300000u);
  EXPECT_EQ(retry_delay_ms(6, 50, 1000), 1000u);
  EXPECT_EQ(retry_delay_ms(5, 50, 1000), 800u);
}

} // namespace
} // namespace atende
