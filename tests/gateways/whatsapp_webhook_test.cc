// whatsapp_webhook: Meta's webhook bodies (tests/fixtures/whatsapp and the
// shared fixtures in ../shared/fixtures/whatsapp) mapped to envelopes, each
// compared whole, and the X-Hub-Signature-256 check.
#include "gateways/whatsapp_webhook.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include "gateways/crypto.h"

namespace atende::testing {
namespace {

using json = nlohmann::json;

constexpr std::string_view pnid = "220000000000001";
constexpr std::string_view waba = "310000000000001";

// Our outbound messages, as the statuses and replies of the fixtures name
// them.
const std::string out1 =
    "wamid.HBgNNTUxMTk4NzY1NDMyMQFQIAERgSM0VCMDAwMDAwMDAwMDAwMDAwMDE=";
const std::string out2 =
    "wamid.HBgNNTUxMTk3NjU0MzIxMAFQIAERgSM0VCMDAwMDAwMDAwMDAwMDAwMDI=";
const std::string out4 =
    "wamid.HBgNNTUxMTk5ODc2NTQzMgFQIAERgSM0VCMDAwMDAwMDAwMDAwMDAwMDQ=";
const std::string out5 =
    "wamid.HBgNNTUxMTkzNDU2Nzg5MAFQIAERgSM0VCMDAwMDAwMDAwMDAwMDAwMDU=";

std::filesystem::path source_dir() {
#ifdef ATENDE_SOURCE_DIR
  return ATENDE_SOURCE_DIR;
#else
  return std::filesystem::path{__FILE__}
      .parent_path()
      .parent_path()
      .parent_path();
#endif
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in{p, std::ios::binary};
  EXPECT_TRUE(in) << "cannot read " << p;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// fixture reads tests/fixtures/whatsapp/<name> byte for byte.
std::string fixture(std::string_view name) {
  return read_file(source_dir() / "tests/fixtures/whatsapp" / name);
}

/// shared reads ../shared/fixtures/whatsapp/<name>.
std::string shared(std::string_view name) {
  return read_file(source_dir() / ".." / "shared/fixtures/whatsapp" / name);
}

/// mapped maps `body`; an error fails the test and gives an empty batch.
webhook_batch mapped(const std::string& body) {
  auto b = map_whatsapp_webhook(body);
  if (!b) {
    ADD_FAILURE() << b.error().message;
    return {};
  }
  return std::move(*b);
}

/// only_envelope is the one envelope of `body`, which must come from our
/// number `pnid` of WABA `waba`.
/// expected_envelope parses an expected envelope; its "id" (Meta's key) becomes the
/// envelope id the mapper gives it.
json expected_envelope(const char* text) {
  auto j = json::parse(text);
  if (j.is_object() && j.contains("id") && j.contains("type")) {
    j["id"] = whatsapp_envelope_id(j["id"].get<std::string>());
  }
  return j;
}

json only_envelope(const std::string& body) {
  auto b = mapped(body);
  EXPECT_TRUE(b.errors.empty());
  if (b.envelopes.size() != 1) {
    ADD_FAILURE() << b.envelopes.size() << " envelopes";
    return {};
  }
  EXPECT_EQ(b.envelopes[0].phone_number_id, pnid);
  EXPECT_EQ(b.envelopes[0].waba_id, waba);
  return b.envelopes[0].envelope;
}

/// first_item is Meta's value.<list>[0] of `body`'s first change.
json first_item(const std::string& body, const char* list) {
  return json::parse(body)["entry"][0]["changes"][0]["value"][list][0];
}

/// edited is `body` after `f` changed its JSON.
template <class F>
std::string edited(const std::string& body, F&& f) {
  auto j = json::parse(body);
  f(j);
  return j.dump();
}

json& message0(json& j) {
  return j["entry"][0]["changes"][0]["value"]["messages"][0];
}

/// failure is the error of mapping `body`, which must fail.
error failure(const std::string& body) {
  auto b = map_whatsapp_webhook(body);
  if (b) {
    ADD_FAILURE() << "mapped without error";
    return {};
  }
  return b.error();
}

// ---- the shared fixtures ----------------------------------------------------

TEST(WhatsappWebhook, SharedInboundTextIsMessageReceivedKeyedByWamid) {
  EXPECT_EQ(only_envelope(shared("inbound_text.json")), expected_envelope(R"({
    "id": "wamid.TESTINBOUND0001", "type": "message.received",
    "at": "2025-11-21T12:05:00.000Z",
    "data": {"channel": "220000000000001", "from": "5511987654321",
             "name": "Maria Souza", "message_id": "wamid.TESTINBOUND0001",
             "kind": "text", "text": "Oi, meu pedido ainda nao chegou"}})"));
}

TEST(WhatsappWebhook, SharedDeliveredStatusKeepsPricingAndConversation) {
  EXPECT_EQ(only_envelope(shared("status_delivered.json")), expected_envelope(R"({
    "id": "wamid.TESTOUTBOUND0001/delivered", "type": "message.status",
    "at": "2025-11-21T12:06:00.000Z",
    "data": {"channel": "220000000000001",
             "provider_message_id": "wamid.TESTOUTBOUND0001",
             "recipient": "5511987654321", "status": "delivered",
             "conversation": {"id": "CONVERSATION0001",
                              "origin": {"type": "service"}},
             "pricing": {"billable": true, "pricing_model": "PMP",
                         "category": "service"}}})"));
}

TEST(WhatsappWebhook, SharedFailedStatusGivesMetasCodeAsAString) {
  auto body = shared("status_failed_131047.json");
  auto e = only_envelope(body);
  EXPECT_EQ(e, expected_envelope(R"({
    "id": "wamid.TESTOUTBOUND0002/failed", "type": "message.status",
    "at": "2025-11-22T12:06:00.000Z",
    "data": {"channel": "220000000000001",
             "provider_message_id": "wamid.TESTOUTBOUND0002",
             "recipient": "5511987654321", "status": "failed",
             "error": {"code": "131047", "title": "Re-engagement message",
                       "message": "Re-engagement message",
                       "details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number."},
             "errors": [{"code": 131047, "title": "Re-engagement message",
                         "message": "Re-engagement message",
                         "error_data": {"details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number."}}]}})"));
}

TEST(WhatsappWebhook, SharedTemplateApprovalIsRoutedByWaba) {
  auto b = mapped(shared("template_status_approved.json"));
  ASSERT_EQ(b.envelopes.size(), 1u);
  EXPECT_EQ(b.envelopes[0].phone_number_id, "");
  EXPECT_EQ(b.envelopes[0].waba_id, waba);
  EXPECT_EQ(b.envelopes[0].envelope, expected_envelope(R"({
    "id": "template/880000000000001/APPROVED/1763726000",
    "type": "template.status", "at": "2025-11-21T11:53:20.000Z",
    "data": {"channel": "", "waba": "310000000000001",
             "name": "retomada_atendimento", "language": "pt_BR",
             "status": "approved", "reason": "NONE",
             "template_id": "880000000000001"}})"));
}

TEST(WhatsappWebhook, SharedSendCallBodiesAreNotWebhooks) {
  for (auto name : {"send_template_request.json", "send_response.json",
                    "send_error_131047.json"}) {
    auto e = failure(shared(name));
    EXPECT_EQ(e.code, errc::malformed) << name;
    EXPECT_EQ(e.field, "object") << name;
  }
}

// ---- inbound kinds ----------------------------------------------------------

TEST(WhatsappWebhook, ImageKeepsMediaIdMimeTypeShaAndCaption) {
  EXPECT_EQ(only_envelope(fixture("image_caption.json")), expected_envelope(R"({
    "id": "wamid.HBgNNTUxMTk4NzY1NDMyMQFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNjU=",
    "type": "message.received", "at": "2025-11-21T12:10:00.000Z",
    "data": {"channel": "220000000000001", "from": "5511987654321",
             "name": "Maria Souza",
             "message_id": "wamid.HBgNNTUxMTk4NzY1NDMyMQFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNjU=",
             "kind": "image",
             "media": {"id": "1500000000000001", "mime_type": "image/jpeg",
                       "sha256": "173VRfCdinPCuZAzfIIR1wigTM2XSGJ2heT8ecwDgDk=",
                       "caption": "Foto da caixa amassada"}}})"));
}

TEST(WhatsappWebhook, VoiceNoteIsAudioWithVoiceTrue) {
  EXPECT_EQ(only_envelope(fixture("audio_voice.json")), expected_envelope(R"({
    "id": "wamid.HBgNNTUxMTk3NjU0MzIxMAFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNjY=",
    "type": "message.received", "at": "2025-11-21T12:11:00.000Z",
    "data": {"channel": "220000000000001", "from": "5511976543210",
             "name": "Jo\u00e3o Pereira",
             "message_id": "wamid.HBgNNTUxMTk3NjU0MzIxMAFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNjY=",
             "kind": "audio",
             "media": {"id": "1500000000000002",
                       "mime_type": "audio/ogg; codecs=opus",
                       "sha256": "HQXV2xgmGBm7xxd2dgPd0HcVrrLF7sDTainZQAwLad4=",
                       "voice": true}}})"));
}

TEST(WhatsappWebhook, ForwardedVideoKeepsItsMediaAndTheForwardedFlag) {
  EXPECT_EQ(only_envelope(fixture("video_forwarded.json")), expected_envelope(R"({
    "id": "wamid.HBgNNTUxMTkxMjM0NTY3OAFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNjc=",
    "type": "message.received", "at": "2025-11-21T12:12:00.000Z",
    "data": {"channel": "220000000000001", "from": "5511912345678",
             "name": "Ana Lima",
             "message_id": "wamid.HBgNNTUxMTkxMjM0NTY3OAFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNjc=",
             "kind": "video",
             "media": {"id": "1500000000000003", "mime_type": "video/mp4",
                       "sha256": "EC5LUHqevgorn+u0ePegmhoy0QbK5E5PkKnWyEYDPSc="},
             "forwarded": true}})"));
}

TEST(WhatsappWebhook, DocumentKeepsFilenameAndCaption) {
  EXPECT_EQ(only_envelope(fixture("document_filename.json")), expected_envelope(R"({
    "id": "wamid.HBgNNTUxMTk5ODc2NTQzMgFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNjg=",
    "type": "message.received", "at": "2025-11-21T12:13:00.000Z",
    "data": {"channel": "220000000000001", "from": "5511998765432",
             "name": "Carlos Mendes",
             "message_id": "wamid.HBgNNTUxMTk5ODc2NTQzMgFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNjg=",
             "kind": "document",
             "media": {"id": "1500000000000004",
                       "mime_type": "application/pdf",
                       "sha256": "xj69y+AMBrfZMUMFa+K7N9ftx3xQdsHdOxyZMfNt24o=",
                       "filename": "nota-fiscal-4411.pdf",
                       "caption": "Segue a nota fiscal"}}})"));
}

TEST(WhatsappWebhook, StickerKeepsAnimated) {
  EXPECT_EQ(only_envelope(fixture("sticker_animated.json")), expected_envelope(R"({
    "id": "wamid.HBgNNTUxMTkzNDU2Nzg5MAFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNjk=",
    "type": "message.received", "at": "2025-11-21T12:14:00.000Z",
    "data": {"channel": "220000000000001", "from": "5511934567890",
             "name": "Beatriz Rocha",
             "message_id": "wamid.HBgNNTUxMTkzNDU2Nzg5MAFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNjk=",
             "kind": "sticker",
             "media": {"id": "1500000000000005", "mime_type": "image/webp",
                       "sha256": "NHtAMUUtaAQ9shw9vBoRbzY4pYQOuyPnzuYVNq7ma2s=",
                       "animated": true}}})"));
}

TEST(WhatsappWebhook, LocationKeepsCoordinatesNameAddressAndUrl) {
  EXPECT_EQ(only_envelope(fixture("location.json")), expected_envelope(R"({
    "id": "wamid.HBgNNTUxMTk4NzY1NDMyMQFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNkE=",
    "type": "message.received", "at": "2025-11-21T12:15:00.000Z",
    "data": {"channel": "220000000000001", "from": "5511987654321",
             "name": "Maria Souza",
             "message_id": "wamid.HBgNNTUxMTk4NzY1NDMyMQFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNkE=",
             "kind": "location",
             "location": {"latitude": -23.561414, "longitude": -46.655881,
                          "name": "MASP",
                          "address": "Av. Paulista, 1578 - Bela Vista, S\u00e3o Paulo - SP, 01310-200",
                          "url": "https://masp.org.br"}}})"));
}

TEST(WhatsappWebhook, ContactCardsAreNormalisedToNameAndPhones) {
  EXPECT_EQ(only_envelope(fixture("contacts.json")), expected_envelope(R"({
    "id": "wamid.HBgNNTUxMTk3NjU0MzIxMAFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNkI=",
    "type": "message.received", "at": "2025-11-21T12:16:00.000Z",
    "data": {"channel": "220000000000001", "from": "5511976543210",
             "name": "Jo\u00e3o Pereira",
             "message_id": "wamid.HBgNNTUxMTk3NjU0MzIxMAFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNkI=",
             "kind": "contacts",
             "contacts": [{
               "name": "Pedro Alves",
               "phones": [{"phone": "+55 11 95555-1234",
                           "wa_id": "5511955551234", "type": "CELL"},
                          {"phone": "+55 11 3333-4444", "type": "WORK"}],
               "emails": [{"email": "pedro.alves@example.com.br",
                           "type": "WORK"}],
               "urls": [{"url": "https://transportesrapidos.example.com.br",
                         "type": "WORK"}],
               "addresses": [{"city": "S\u00e3o Paulo", "country": "Brasil",
                              "country_code": "BR", "state": "SP",
                              "street": "Rua Augusta, 1000", "type": "WORK",
                              "zip": "01305-100"}],
               "org": {"company": "Transportes R\u00e1pidos",
                       "department": "Entregas", "title": "Coordenador"},
               "birthday": "1988-04-12"}]}})"));
}

TEST(WhatsappWebhook, ButtonReplyIsInteractiveWithItsTitleAsText) {
  auto e = only_envelope(fixture("interactive_button_reply.json"));
  EXPECT_EQ(e["at"], "2025-11-21T12:17:00.000Z");
  EXPECT_EQ(e["data"], expected_envelope(R"({
    "channel": "220000000000001", "from": "5511912345678",
    "name": "Ana Lima",
    "message_id": "wamid.HBgNNTUxMTkxMjM0NTY3OAFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNkM=",
    "kind": "interactive", "text": "Confirmar",
    "interactive": {"type": "button_reply", "id": "confirmar_entrega",
                    "title": "Confirmar"},
    "reply_to": "wamid.HBgNNTUxMTkxMjM0NTY3OAFQIAERgSM0VCMDAwMDAwMDAwMDAwMDAwMDM="})"));
}

TEST(WhatsappWebhook, ListReplyKeepsItsDescription) {
  auto e = only_envelope(fixture("interactive_list_reply.json"));
  EXPECT_EQ(e["at"], "2025-11-21T12:18:00.000Z");
  EXPECT_EQ(e["data"], expected_envelope(R"({
    "channel": "220000000000001", "from": "5511998765432",
    "name": "Carlos Mendes",
    "message_id": "wamid.HBgNNTUxMTk5ODc2NTQzMgFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNkQ=",
    "kind": "interactive", "text": "Troca de produto",
    "interactive": {"type": "list_reply", "id": "troca",
                    "title": "Troca de produto",
                    "description": "Trocar por outro tamanho ou cor"},
    "reply_to": "wamid.HBgNNTUxMTk5ODc2NTQzMgFQIAERgSM0VCMDAwMDAwMDAwMDAwMDAwMDQ="})"));
}

TEST(WhatsappWebhook, TemplateQuickReplyIsAButtonWithItsPayloadAsId) {
  auto e = only_envelope(fixture("button_quick_reply.json"));
  EXPECT_EQ(e["at"], "2025-11-21T12:19:00.000Z");
  EXPECT_EQ(e["data"], expected_envelope(R"({
    "channel": "220000000000001", "from": "5511987654321",
    "name": "Maria Souza",
    "message_id": "wamid.HBgNNTUxMTk4NzY1NDMyMQFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNkU=",
    "kind": "button", "text": "Falar com atendente",
    "interactive": {"type": "button", "id": "FALAR_COM_ATENDENTE",
                    "title": "Falar com atendente"},
    "reply_to": "wamid.HBgNNTUxMTk4NzY1NDMyMQFQIAERgSM0VCMDAwMDAwMDAwMDAwMDAwMDE="})"));
}

TEST(WhatsappWebhook, UnknownInteractiveTypeKeepsMetasReply) {
  auto body = edited(fixture("interactive_button_reply.json"), [](json& j) {
    message0(j)["interactive"] = {
        {"type", "nfm_reply"},
        {"nfm_reply", {{"name", "flow"}, {"response_json", "{}"}}}};
  });
  auto e = only_envelope(body);
  EXPECT_EQ(e["data"]["interactive"], expected_envelope(R"({
    "type": "nfm_reply", "reply": {"name": "flow", "response_json": "{}"}})"));
  EXPECT_FALSE(e["data"].contains("text"));
}

TEST(WhatsappWebhook, ReactionKeepsTheReactedMessageAndEmoji) {
  auto e = only_envelope(fixture("reaction.json"));
  EXPECT_EQ(e["id"],
            whatsapp_envelope_id(
                "wamid.HBgNNTUxMTk3NjU0MzIxMAFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNkY="));
  EXPECT_EQ(e["at"], "2025-11-21T12:20:00.000Z");
  EXPECT_EQ(e["data"]["kind"], "reaction");
  EXPECT_EQ(e["data"]["reaction"],
            (json{{"message_id", out2}, {"emoji", "\xF0\x9F\x91\x8D"}}));
}

TEST(WhatsappWebhook, EmptyReactionEmojiRemovesTheReaction) {
  auto absent = only_envelope(fixture("reaction_removed.json"));
  EXPECT_EQ(absent["at"], "2025-11-21T12:21:00.000Z");
  EXPECT_EQ(absent["data"]["reaction"],
            (json{{"message_id", out2}, {"emoji", ""}}));
  auto body = edited(fixture("reaction.json"),
                     [](json& j) { message0(j)["reaction"]["emoji"] = ""; });
  EXPECT_EQ(only_envelope(body)["data"]["reaction"]["emoji"], "");
}

TEST(WhatsappWebhook, OrderKeepsCatalogTextAndItems) {
  auto e = only_envelope(fixture("order.json"));
  EXPECT_EQ(e["at"], "2025-11-21T12:22:00.000Z");
  EXPECT_EQ(e["data"]["kind"], "order");
  EXPECT_EQ(e["data"]["order"], expected_envelope(R"({
    "catalog_id": "770000000000001", "text": "Quero esses dois, por favor",
    "product_items": [
      {"product_retailer_id": "camiseta-azul-m", "quantity": 2,
       "item_price": 59.9, "currency": "BRL"},
      {"product_retailer_id": "bone-preto", "quantity": 1,
       "item_price": 39.9, "currency": "BRL"}]})"));
}

TEST(WhatsappWebhook, ChangedNumberKeepsTheOldSenderAndGivesTheNewWaId) {
  EXPECT_EQ(only_envelope(fixture("system_customer_changed_number.json")),
            expected_envelope(R"({
    "id": "wamid.HBgNNTUxMTk4NzY1NDMyMQFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNzI=",
    "type": "message.received", "at": "2025-11-21T12:23:00.000Z",
    "data": {"channel": "220000000000001", "from": "5511987654321",
             "message_id": "wamid.HBgNNTUxMTk4NzY1NDMyMQFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNzI=",
             "kind": "system",
             "system": {"type": "customer_changed_number",
                        "body": "Maria Souza changed from 5511987654321 to 5511955554444",
                        "new_wa_id": "5511955554444"}}})"));
}

TEST(WhatsappWebhook, ChangedNumberReadsWaIdInTheNewerFormat) {
  auto e = only_envelope(fixture("system_user_changed_number.json"));
  EXPECT_EQ(e["data"]["from"], "5511987654321");
  EXPECT_FALSE(e["data"].contains("name"));
  EXPECT_EQ(e["data"]["system"], expected_envelope(R"({
    "type": "user_changed_number",
    "body": "User Maria Souza changed from 5511987654321 to 5511955554444",
    "new_wa_id": "5511955554444"})"));
}

TEST(WhatsappWebhook, UnsupportedKeepsMetasErrors) {
  auto body = fixture("unsupported.json");
  auto e = only_envelope(body);
  EXPECT_EQ(e["at"], "2025-11-21T12:25:00.000Z");
  EXPECT_EQ(e["data"]["kind"], "unsupported");
  EXPECT_EQ(e["data"]["unsupported"], (json{{"type", "poll_creation"}}));
  EXPECT_EQ(e["data"]["errors"], first_item(body, "messages")["errors"]);
  EXPECT_EQ(e["data"]["errors"][0]["code"], 131051);
}

TEST(WhatsappWebhook, UnknownMessageTypeIsUnsupportedWithItsType) {
  auto body = edited(fixture("image_caption.json"),
                     [](json& j) { message0(j)["type"] = "ephemeral"; });
  auto e = only_envelope(body);
  EXPECT_EQ(e["data"]["kind"], "unsupported");
  EXPECT_EQ(e["data"]["unsupported"], (json{{"type", "ephemeral"}}));
  EXPECT_FALSE(e["data"].contains("media"));
}

TEST(WhatsappWebhook, ReplyContextBecomesReplyTo) {
  EXPECT_EQ(only_envelope(fixture("text_reply_context.json")), expected_envelope(R"({
    "id": "wamid.HBgNNTUxMTk4NzY1NDMyMQFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNzU=",
    "type": "message.received", "at": "2025-11-21T12:26:00.000Z",
    "data": {"channel": "220000000000001", "from": "5511987654321",
             "name": "Maria Souza",
             "message_id": "wamid.HBgNNTUxMTk4NzY1NDMyMQFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwNzU=",
             "kind": "text", "text": "Sim, pode entregar amanh\u00e3",
             "reply_to": "wamid.HBgNNTUxMTk4NzY1NDMyMQFQIAERgSM0VCMDAwMDAwMDAwMDAwMDAwMDE="}})"));
}

TEST(WhatsappWebhook, ClickToWhatsappReferralIsKeptAsMetaSentIt) {
  auto body = fixture("text_referral.json");
  auto e = only_envelope(body);
  EXPECT_EQ(e["at"], "2025-11-21T12:27:00.000Z");
  EXPECT_EQ(e["data"]["kind"], "text");
  EXPECT_EQ(e["data"]["text"], "Ol\xC3\xA1! Quero saber mais sobre o frete gr"
                               "\xC3\xA1tis");
  EXPECT_EQ(e["data"]["referral"], first_item(body, "messages")["referral"]);
  EXPECT_EQ(e["data"]["referral"]["source_id"], "120226305854810726");
  EXPECT_EQ(e["data"]["referral"]["ctwa_clid"],
            "ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4"
            "XvnO2E4Nx0");
}

TEST(WhatsappWebhook, MessageWithoutContactsHasNoName) {
  auto body = edited(fixture("image_caption.json"), [](json& j) {
    j["entry"][0]["changes"][0]["value"].erase("contacts");
  });
  auto e = only_envelope(body);
  EXPECT_FALSE(e["data"].contains("name"));
  EXPECT_EQ(e["data"]["from"], "5511987654321");
}

// ---- statuses ---------------------------------------------------------------

TEST(WhatsappWebhook, ReadStatusKeepsPricingAndConversation) {
  EXPECT_EQ(only_envelope(fixture("status_read_pricing.json")), expected_envelope(R"({
    "id": "wamid.HBgNNTUxMTk4NzY1NDMyMQFQIAERgSM0VCMDAwMDAwMDAwMDAwMDAwMDE=/read",
    "type": "message.status", "at": "2025-11-21T12:28:00.000Z",
    "data": {"channel": "220000000000001",
             "provider_message_id": "wamid.HBgNNTUxMTk4NzY1NDMyMQFQIAERgSM0VCMDAwMDAwMDAwMDAwMDAwMDE=",
             "recipient": "5511987654321", "status": "read",
             "conversation": {"id": "CONVERSATION0002",
                              "expiration_timestamp": "1763814480",
                              "origin": {"type": "service"}},
             "pricing": {"billable": false, "pricing_model": "PMP",
                         "category": "service",
                         "type": "free_customer_service"}}})"));
}

TEST(WhatsappWebhook, StatusWithoutContactsIsAccepted) {
  EXPECT_EQ(only_envelope(fixture("status_sent_no_conversation.json")),
            expected_envelope(R"({
    "id": "wamid.HBgNNTUxMTkzNDU2Nzg5MAFQIAERgSM0VCMDAwMDAwMDAwMDAwMDAwMDU=/sent",
    "type": "message.status", "at": "2025-11-21T12:29:00.000Z",
    "data": {"channel": "220000000000001",
             "provider_message_id": "wamid.HBgNNTUxMTkzNDU2Nzg5MAFQIAERgSM0VCMDAwMDAwMDAwMDAwMDAwMDU=",
             "recipient": "5511934567890", "status": "sent",
             "pricing": {"billable": true, "pricing_model": "PMP",
                         "category": "utility", "type": "regular"}}})"));
}

TEST(WhatsappWebhook, StatusNeedsOnlyIdStatusAndTimestamp) {
  auto body = edited(fixture("status_sent_no_conversation.json"), [](json& j) {
    auto& s = j["entry"][0]["changes"][0]["value"]["statuses"][0];
    s.erase("recipient_id");
    s.erase("pricing");
  });
  EXPECT_EQ(only_envelope(body)["data"], (json{{"channel", pnid},
                                               {"provider_message_id", out5},
                                               {"status", "sent"}}));
}

TEST(WhatsappWebhook, FailedStatusKeepsEveryErrorAndTheFirstAsError) {
  auto body = fixture("status_failed_errors.json");
  auto e = only_envelope(body);
  EXPECT_EQ(e["id"], whatsapp_envelope_id(out4 + "/failed"));
  EXPECT_EQ(e["at"], "2025-11-21T12:30:00.000Z");
  EXPECT_EQ(e["data"]["status"], "failed");
  EXPECT_EQ(e["data"]["provider_message_id"], out4);
  EXPECT_EQ(e["data"]["recipient"], "5511998765432");
  EXPECT_EQ(e["data"]["error"], expected_envelope(R"({
    "code": "131026", "title": "Message undeliverable",
    "message": "Message undeliverable", "details": "Message Undeliverable."})"));
  EXPECT_EQ(e["data"]["errors"], first_item(body, "statuses")["errors"]);
  EXPECT_EQ(e["data"]["errors"].size(), 2u);
}

TEST(WhatsappWebhook, RedeliveredStatusHasTheSameId) {
  auto body = fixture("status_read_pricing.json");
  auto first = only_envelope(body);
  EXPECT_EQ(only_envelope(body)["id"], first["id"]);
  auto delivered = edited(body, [](json& j) {
    j["entry"][0]["changes"][0]["value"]["statuses"][0]["status"] = "delivered";
  });
  EXPECT_EQ(only_envelope(delivered)["id"],
            whatsapp_envelope_id(out1 + "/delivered"));
}

TEST(WhatsappWebhook, StatusesOtherThanSentDeliveredReadFailedAreSkipped) {
  auto body = edited(fixture("status_read_pricing.json"), [](json& j) {
    j["entry"][0]["changes"][0]["value"]["statuses"][0]["status"] = "played";
  });
  auto b = mapped(body);
  EXPECT_TRUE(b.envelopes.empty());
  EXPECT_TRUE(b.errors.empty());
}

// ---- channel errors, templates, batches -------------------------------------

TEST(WhatsappWebhook, ValueErrorsAreChannelErrorsNotEnvelopes) {
  auto body = fixture("value_errors.json");
  auto b = mapped(body);
  EXPECT_TRUE(b.envelopes.empty());
  ASSERT_EQ(b.errors.size(), 2u);
  auto meta = json::parse(body)["entry"][0]["changes"][0]["value"]["errors"];
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(b.errors[i].phone_number_id, pnid);
    EXPECT_EQ(b.errors[i].waba_id, waba);
    EXPECT_EQ(b.errors[i].error, meta[i]);
    EXPECT_EQ(b.errors[i].at, "");
  }
  EXPECT_EQ(b.errors[0].error["code"], 130429);
}

TEST(WhatsappWebhook, RejectedTemplateKeepsItsReason) {
  auto b = mapped(fixture("template_rejected.json"));
  ASSERT_EQ(b.envelopes.size(), 1u);
  EXPECT_EQ(b.envelopes[0].phone_number_id, "");
  EXPECT_EQ(b.envelopes[0].waba_id, waba);
  EXPECT_EQ(b.envelopes[0].envelope, expected_envelope(R"({
    "id": "template/880000000000002/REJECTED/1763728260",
    "type": "template.status", "at": "2025-11-21T12:31:00.000Z",
    "data": {"channel": "", "waba": "310000000000001",
             "name": "promocao_black_friday", "language": "pt_BR",
             "status": "rejected", "reason": "INVALID_FORMAT",
             "template_id": "880000000000002"}})"));
}

TEST(WhatsappWebhook, TemplateIdIsStablePerTemplateEventAndTime) {
  auto body = fixture("template_rejected.json");
  auto id = [](const std::string& b) {
    auto batch = mapped(b);
    return batch.envelopes.empty() ? json{} : batch.envelopes[0].envelope["id"];
  };
  EXPECT_EQ(id(body), id(body));
  auto approved = edited(body, [](json& j) {
    j["entry"][0]["changes"][0]["value"]["event"] = "APPROVED";
  });
  EXPECT_EQ(id(approved),
            whatsapp_envelope_id("template/880000000000002/APPROVED/1763728260"));
  auto later =
      edited(body, [](json& j) { j["entry"][0]["time"] = 1763728999; });
  EXPECT_EQ(id(later),
            whatsapp_envelope_id("template/880000000000002/REJECTED/1763728999"));
  EXPECT_NE(id(later), id(body));
}

TEST(WhatsappWebhook, EveryEntryAndChangeIsMapped) {
  auto b = mapped(fixture("batch.json"));
  EXPECT_TRUE(b.errors.empty());
  ASSERT_EQ(b.envelopes.size(), 6u);
  struct want {
    std::string id, type, at, pnid, waba;
  };
  const want wants[] = {
      {"wamid.HBgNNTUxMTk4NzY1NDMyMQFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwQzk=",
       "message.received", "2025-11-21T12:31:40.000Z", "220000000000001",
       "310000000000001"},
      {"wamid.HBgNNTUxMTk3NjU0MzIxMAFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwQ0E=",
       "message.received", "2025-11-21T12:31:45.000Z", "220000000000001",
       "310000000000001"},
      {out2 + "/delivered", "message.status", "2025-11-21T12:31:50.000Z",
       "220000000000001", "310000000000001"},
      {out1 + "/read", "message.status", "2025-11-21T12:31:55.000Z",
       "220000000000001", "310000000000001"},
      {"wamid.HBgNNTUxMTkxMjM0NTY3OAFQIAEhgUM0VCMDAwMDAwMDAwMDAwMDAwQ0I=",
       "message.received", "2025-11-21T12:32:00.000Z", "220000000000002",
       "310000000000001"},
      {"template/880000000000003/APPROVED/1763728330", "template.status",
       "2025-11-21T12:32:10.000Z", "", "310000000000002"},
  };
  for (std::size_t i = 0; i < 6; ++i) {
    const auto& e = b.envelopes[i];
    EXPECT_EQ(e.envelope["id"], whatsapp_envelope_id(wants[i].id)) << i;
    EXPECT_EQ(e.envelope["type"], wants[i].type) << i;
    EXPECT_EQ(e.envelope["at"], wants[i].at) << i;
    EXPECT_EQ(e.phone_number_id, wants[i].pnid) << i;
    EXPECT_EQ(e.waba_id, wants[i].waba) << i;
  }
  const auto& maria = b.envelopes[0].envelope["data"];
  EXPECT_EQ(maria["name"], "Maria Souza");
  EXPECT_EQ(maria["text"], "Bom dia");
  const auto& joao = b.envelopes[1].envelope["data"];
  EXPECT_EQ(joao["name"], "Jo\xC3\xA3o Pereira");
  EXPECT_EQ(joao["media"], expected_envelope(R"({
    "id": "1500000000000006", "mime_type": "image/png",
    "sha256": "aYd0D7Yk4+mUPsXZrFUZtyzqGzX7S95XGd85I6NsCPc="})"));
  const auto& ana = b.envelopes[4].envelope["data"];
  EXPECT_EQ(ana["channel"], "220000000000002");
  EXPECT_EQ(ana["name"], "Ana Lima");
  EXPECT_EQ(b.envelopes[5].envelope["data"]["waba"], "310000000000002");
}

TEST(WhatsappWebhook, UnknownFieldsAreSkipped) {
  auto body = R"({"object": "whatsapp_business_account", "entry": [
    {"id": "310000000000001", "changes": [
      {"field": "account_update", "value": {"event": "VERIFIED_ACCOUNT"}},
      {"field": "phone_number_quality_update", "value": 42}]}]})";
  auto b = mapped(body);
  EXPECT_TRUE(b.envelopes.empty());
  EXPECT_TRUE(b.errors.empty());
}

// ---- malformed bodies -------------------------------------------------------

TEST(WhatsappWebhook, BodyThatIsNotJsonIsMalformed) {
  for (std::string body : {"", "{", "[]", "\"text\""}) {
    auto e = failure(body);
    EXPECT_EQ(e.code, errc::malformed) << body;
    EXPECT_EQ(e.field, "body") << body;
  }
}

TEST(WhatsappWebhook, ObjectOtherThanWhatsappBusinessAccountIsRefused) {
  auto e = failure(R"({"object": "page", "entry": []})");
  EXPECT_EQ(e.code, errc::invalid_value);
  EXPECT_EQ(e.field, "object");
}

TEST(WhatsappWebhook, MissingMessageIdIsMalformedNamingTheField) {
  auto body = edited(fixture("batch.json"), [](json& j) {
    j["entry"][0]["changes"][3]["value"]["messages"][0].erase("id");
  });
  auto e = failure(body);
  EXPECT_EQ(e.code, errc::malformed);
  EXPECT_EQ(e.field, "entry[0].changes[3].value.messages[0].id");
  EXPECT_EQ(e.message, "entry[0].changes[3].value.messages[0].id: is required");
}

TEST(WhatsappWebhook, WrongTypedFieldIsMalformedNamingTheField) {
  struct bad_case {
    std::string_view file, field;
    void (*edit)(json&);
  };
  const bad_case cases[] = {
      {"image_caption.json", "entry[0].changes[0].value.messages[0].from",
       [](json& j) { message0(j)["from"] = 5511987654321; }},
      {"image_caption.json",
       "entry[0].changes[0].value.contacts[0].profile.name",
       [](json& j) {
         j["entry"][0]["changes"][0]["value"]["contacts"][0]["profile"]
          ["name"] = 7;
       }},
      {"image_caption.json", "entry[0].changes[0].value.messages[0].image.id",
       [](json& j) { message0(j)["image"]["id"] = json::array(); }},
      {"location.json",
       "entry[0].changes[0].value.messages[0].location.latitude",
       [](json& j) { message0(j)["location"]["latitude"] = "-23.56"; }},
      {"reaction.json", "entry[0].changes[0].value.messages[0].reaction.emoji",
       [](json& j) { message0(j)["reaction"]["emoji"] = false; }},
      {"image_caption.json", "entry[0].changes[0].value.messages",
       [](json& j) {
         j["entry"][0]["changes"][0]["value"]["messages"] = json::object();
       }},
      {"batch.json", "entry[0].changes[1].value.statuses[1]",
       [](json& j) {
         j["entry"][0]["changes"][1]["value"]["statuses"][1] = "read";
       }},
  };
  for (const auto& c : cases) {
    auto e = failure(edited(fixture(c.file), c.edit));
    EXPECT_EQ(e.code, errc::malformed) << c.field;
    EXPECT_EQ(e.field, c.field);
    EXPECT_TRUE(e.message.find("must be") != std::string::npos) << e.message;
  }
}

TEST(WhatsappWebhook, RequiredFieldsAreNamedWhenMissing) {
  struct missing_case {
    std::string_view file, field;
    void (*edit)(json&);
  };
  const missing_case cases[] = {
      {"image_caption.json",
       "entry[0].changes[0].value.metadata.phone_number_id",
       [](json& j) {
         j["entry"][0]["changes"][0]["value"]["metadata"].erase(
             "phone_number_id");
       }},
      {"image_caption.json", "entry[0].changes[0].value.messages[0].image",
       [](json& j) { message0(j).erase("image"); }},
      {"text_reply_context.json",
       "entry[0].changes[0].value.messages[0].text.body",
       [](json& j) { message0(j)["text"].erase("body"); }},
      {"reaction.json",
       "entry[0].changes[0].value.messages[0].reaction.message_id",
       [](json& j) { message0(j)["reaction"].erase("message_id"); }},
      {"status_read_pricing.json",
       "entry[0].changes[0].value.statuses[0].timestamp",
       [](json& j) {
         j["entry"][0]["changes"][0]["value"]["statuses"][0].erase("timestamp");
       }},
      {"template_rejected.json", "entry[0].time",
       [](json& j) { j["entry"][0].erase("time"); }},
      {"template_rejected.json",
       "entry[0].changes[0].value.message_template_name",
       [](json& j) {
         j["entry"][0]["changes"][0]["value"].erase("message_template_name");
       }},
      {"batch.json", "entry[1].id", [](json& j) { j["entry"][1].erase("id"); }},
  };
  for (const auto& c : cases) {
    auto e = failure(edited(fixture(c.file), c.edit));
    EXPECT_EQ(e.code, errc::malformed) << c.field;
    EXPECT_EQ(e.field, c.field);
  }
}

TEST(WhatsappWebhook, TimestampMustBeUnixSeconds) {
  for (json bad :
       {json("yesterday"), json("-5"), json("12e3"), json(1.5), json("")}) {
    auto body = edited(fixture("image_caption.json"),
                       [&](json& j) { message0(j)["timestamp"] = bad; });
    auto e = failure(body);
    EXPECT_EQ(e.field, "entry[0].changes[0].value.messages[0].timestamp")
        << bad;
  }
  auto number = edited(fixture("image_caption.json"),
                       [](json& j) { message0(j)["timestamp"] = 1763727000; });
  EXPECT_EQ(only_envelope(number)["at"], "2025-11-21T12:10:00.000Z");
}

// ---- signatures -------------------------------------------------------------

TEST(WhatsappWebhook, SignatureIsHexHmacSha256UnderTheAppSecret) {
  // The well-known example: HMAC-SHA256("key", "The quick brown fox…").
  EXPECT_TRUE(whatsapp_signature_valid(
      "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
      "The quick brown fox jumps over the lazy dog", "key"));
  EXPECT_TRUE(whatsapp_signature_valid(
      "sha256=F7BC83F430538424B13298E6AA6FB143EF4D59A14946175997479DBC2D1A3CD8",
      "The quick brown fox jumps over the lazy dog", "key"));
}

TEST(WhatsappWebhook, SignatureOverRawBytes) {
  const std::string secret = "app-secret-0123456789";
  const std::string body =
      "{ \"object\" : \"whatsapp_business_account\",\n  \"entry\": [ ],\n"
      "  \"note\": \"Jo\\u00e3o \\ud83d\\udc4d\" }\n";
  auto header = "sha256=" + hmac_sha256_hex(secret, body);
  EXPECT_TRUE(whatsapp_signature_valid(header, body, secret));
  auto reserialised = json::parse(body).dump();
  EXPECT_NE(reserialised, body);
  EXPECT_FALSE(whatsapp_signature_valid(header, reserialised, secret));
  EXPECT_TRUE(map_whatsapp_webhook(body).has_value());

  auto file = fixture("contacts.json"); // UTF-8 bytes, as Meta sends them
  EXPECT_TRUE(whatsapp_signature_valid(
      "sha256=" + hmac_sha256_hex(secret, file), file, secret));
}

TEST(WhatsappWebhook, WrongOrMissingSignatureIsRefused) {
  const std::string secret = "app-secret-0123456789";
  const std::string body = fixture("image_caption.json");
  const std::string hex = hmac_sha256_hex(secret, body);
  ASSERT_TRUE(whatsapp_signature_valid("sha256=" + hex, body, secret));

  EXPECT_FALSE(whatsapp_signature_valid("", body, secret));
  EXPECT_FALSE(whatsapp_signature_valid("sha256=", body, secret));
  EXPECT_FALSE(whatsapp_signature_valid(hex, body, secret));
  EXPECT_FALSE(whatsapp_signature_valid("sha1=" + hex, body, secret));
  EXPECT_FALSE(whatsapp_signature_valid("SHA256=" + hex, body, secret));
  EXPECT_FALSE(
      whatsapp_signature_valid("sha256=" + hex.substr(1), body, secret));
  EXPECT_FALSE(whatsapp_signature_valid("sha256=" + hex + "0", body, secret));
  EXPECT_FALSE(whatsapp_signature_valid(" sha256=" + hex, body, secret));
  auto not_hex = hex;
  not_hex[0] = 'g';
  EXPECT_FALSE(whatsapp_signature_valid("sha256=" + not_hex, body, secret));
  EXPECT_FALSE(whatsapp_signature_valid("sha256=" + hex, body, "other"));
  EXPECT_FALSE(whatsapp_signature_valid("sha256=" + hex, body + " ", secret));
  EXPECT_FALSE(whatsapp_signature_valid("sha256=" + hmac_sha256_hex("", body),
                                        body, ""));
}

} // namespace
} // namespace atende::testing
