#include "sync/server/StatusHandler.h"

#include "model/Error.h"
#include "sync/server/AddressRateLimit.h"
#include "sync/server/ClientAddress.h"
#include "sync/server/ServerStore.h"
#include "sync/server/StatusPage.h"
#include "sync/server/SyncServer.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

namespace berkas::sync {

namespace {

using Poco::Net::HTTPResponse;

void send(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status, bool json,
          const std::string& body)
{
    response.setStatusAndReason(status);
    response.setContentType(json ? "application/json" : "text/html; charset=utf-8");
    // The address of an answer holds the last NIK digits: no cache, no
    // referrer; the page loads nothing and may only submit to itself.
    response.set("Cache-Control", "no-store");
    response.set("Referrer-Policy", "no-referrer");
    response.set("X-Content-Type-Options", "nosniff");
    if (!json)
        response.set("Content-Security-Policy",
                     "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                     "frame-ancestors 'none'; base-uri 'none'");
    response.setContentLength64(static_cast<Poco::Int64>(body.size()));
    response.send() << body;
}

} // namespace

StatusHandler::StatusHandler(ServerStore& store, const SyncServerOptions& options, AddressRateLimit& limit,
                             bool json)
    : m_store(store), m_options(options), m_limit(limit), m_json(json)
{
}

void StatusHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                  Poco::Net::HTTPServerResponse& response)
{
    try {
        answer(request, response);
    } catch (const std::exception& e) {
        // Error(Storage), Poco::Exception: nothing of it reaches the citizen.
        // The log names the path only: the query holds the last NIK digits.
        const std::string& uri = request.getURI();
        Poco::Logger::get("berkas.server")
            .error("%s %s: %s", request.getMethod(), uri.substr(0, uri.find('?')), std::string(e.what()));
        if (response.sent())
            return;
        const std::string sentence = "Layanan cek status sedang terganggu. Coba lagi beberapa saat lagi.";
        send(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, m_json,
             m_json ? statuspage::errorJson("internal", sentence) : statuspage::formPage("", sentence));
    }
}

void StatusHandler::answer(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response)
{
    const auto fail = [&](HTTPResponse::HTTPStatus status, const std::string& code,
                          const std::string& sentence, const std::string& page) {
        send(response, status, m_json, m_json ? statuspage::errorJson(code, sentence) : page);
    };
    if (request.getMethod() != "GET" && request.getMethod() != "HEAD") {
        response.set("Allow", "GET, HEAD");
        const std::string sentence = request.getMethod() + " tidak diizinkan; gunakan GET";
        return fail(HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", sentence,
                    statuspage::formPage("", sentence));
    }
    std::vector<std::pair<std::string, std::string>> parameters;
    try {
        parameters = Poco::URI(request.getURI()).getQueryParameters();
    } catch (const Poco::Exception&) {
        const std::string sentence = "number, nik4: alamat ini tidak dapat dibaca; isi kembali formulirnya";
        return fail(HTTPResponse::HTTP_BAD_REQUEST, "bad_request", sentence,
                    statuspage::formPage("", sentence));
    }
    const statuspage::Query query = statuspage::parseQuery(parameters, m_json);
    if (!query.problem.empty()) {
        // The number goes back into the form only when it is well formed.
        const bool numberFine = query.hasNumber && query.invalid != "number";
        return fail(HTTPResponse::HTTP_BAD_REQUEST, "bad_request", query.problem,
                    statuspage::formPage(numberFine ? query.number : "", query.problem));
    }
    if (!query.hasNik4)
        return send(response, HTTPResponse::HTTP_OK, false,
                    statuspage::formPage(query.number)); // from a QR code

    const std::string address = clientAddress(request.clientAddress().host().toString(),
                                              request.get("X-Forwarded-For", ""), m_options.trustedProxies);
    if (const int wait = m_limit.take(address, m_store.nowMs()); wait > 0) {
        Poco::Logger::get("berkas.server").notice("status lookups from %s over the limit", address);
        response.set("Retry-After", std::to_string(wait));
        return fail(HTTPResponse::HTTP_TOO_MANY_REQUESTS, "throttled", statuspage::throttledSentence(wait),
                    statuspage::throttledPage(wait));
    }
    const auto found = m_store.publicStatus(query.number, query.nik4);
    if (!found)
        return fail(HTTPResponse::HTTP_NOT_FOUND, "not_found", statuspage::notFoundSentence(),
                    statuspage::notFoundPage());
    send(response, HTTPResponse::HTTP_OK, m_json,
         m_json ? statuspage::answerJson(*found) : statuspage::answerPage(query.number, *found));
}

} // namespace berkas::sync
