/* Personvern's cookie banner: configures vanilla-cookieconsent v3 (vendored, MIT) from the
   register and records every decision, refusals included, in Personvern's consent ledger.
   Served by Personvern at /website/banner.js after the library and window.PERSONVERN_BANNER. */
(function () {
  "use strict";
  var cfg = window.PERSONVERN_BANNER;
  var CC = window.CookieConsent;
  if (!cfg || !CC) { return; }

  // Google Consent Mode v2: everything denied until the visitor has chosen.
  window.dataLayer = window.dataLayer || [];
  if (typeof window.gtag !== "function") {
    window.gtag = function () { window.dataLayer.push(arguments); };
  }
  window.gtag("consent", "default", {
    ad_storage: "denied", ad_user_data: "denied", ad_personalization: "denied",
    analytics_storage: "denied", wait_for_update: 500
  });
  // Google Analytics 4 keeps _ga and _ga_<container-id> for two years unless told otherwise:
  // every measurement id configured on the page keeps them no longer than the organisation's
  // limit (the privacy notice's promise), in seconds.
  if (cfg.analyticsCookieSeconds) {
    window.gtag("set", { cookie_expires: cfg.analyticsCookieSeconds });
  }

  // A cookie declared with a pattern (_ga_*, for _ga_<container-id>) is matched as one, so
  // that withdrawing consent deletes it too.
  function cookieMatcher(name) {
    if (name.indexOf("*") === -1) { return name; }
    var parts = name.split("*").map(function (part) {
      return part.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    });
    return new RegExp("^" + parts.join(".*") + "$");
  }

  // Global Privacy Control is a refusal of marketing: the category is not even offered.
  var gpc = navigator.globalPrivacyControl === true;
  var OPTIONAL = ["statistics", "marketing"];
  // Marketing is mentioned only when the register has marketing cookies and GPC allows it.
  var marketing = !gpc && (cfg.categories.marketing || []).length > 0;

  var TEXT = {
    nb: {
      title: "Vi bruker informasjonskapsler",
      description: "Strengt nødvendige informasjonskapsler får nettstedet til å virke. Med ditt samtykke bruker vi også informasjonskapsler til statistikk" + (marketing ? " og markedsføring" : "") + ". Du kan endre valget når som helst via «Innstillinger for informasjonskapsler». <a href=\"" + cfg.policyUrl + "\">Personvernerklæring</a>",
      acceptAll: "Godta alle", rejectAll: "Avvis alle", choose: "Velg selv", save: "Lagre valg",
      close: "Lukk", prefsTitle: "Innstillinger for informasjonskapsler",
      intro: "Velg hvilke informasjonskapsler du godtar. Valget lagres i en informasjonskapsel med en tilfeldig ID, og vi fører det i vår samtykkelogg.",
      gpc: "Nettleseren din sender Global Privacy Control, så vi bruker ikke informasjonskapsler til markedsføring.",
      headers: { name: "Navn", provider: "Leverandør", purpose: "Formål", lifetime: "Levetid" },
      days: function (n) { return n ? n + (n === 1 ? " dag" : " dager") : "under ett døgn"; },
      categories: {
        necessary: ["Strengt nødvendige", "Trengs for at nettstedet skal virke, og for å huske valget ditt. Kan ikke slås av."],
        statistics: ["Statistikk", "Hjelper oss å forstå hvordan nettstedet brukes. IP-adresser maskeres før lagring."],
        marketing: ["Markedsføring", "Brukes til å vise relevante annonser på andre nettsteder."]
      }
    },
    en: {
      title: "We use cookies",
      description: "Strictly necessary cookies make the website work. With your consent we also use cookies for statistics" + (marketing ? " and marketing" : "") + ". You can change your choice at any time under “Cookie settings”. <a href=\"" + cfg.policyUrl + "?lang=en\">Privacy notice</a>",
      acceptAll: "Accept all", rejectAll: "Reject all", choose: "Choose", save: "Save choices",
      close: "Close", prefsTitle: "Cookie settings",
      intro: "Choose which cookies you accept. Your choice is stored in a cookie with a random id, and we keep it in our consent ledger.",
      gpc: "Your browser sends Global Privacy Control, so we use no marketing cookies.",
      headers: { name: "Name", provider: "Provider", purpose: "Purpose", lifetime: "Lifetime" },
      days: function (n) { return n ? n + (n === 1 ? " day" : " days") : "less than a day"; },
      categories: {
        necessary: ["Strictly necessary", "Needed for the website to work and to remember your choice. Cannot be switched off."],
        statistics: ["Statistics", "Help us understand how the website is used. IP addresses are masked before they are stored."],
        marketing: ["Marketing", "Used to show relevant advertising on other websites."]
      }
    }
  };

  function offered(name) {
    return name === "necessary" ||
      ((cfg.categories[name] || []).length > 0 && !(gpc && name === "marketing"));
  }

  function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  function translation(lang) {
    var t = TEXT[lang];
    var sections = [{ description: t.intro + (gpc ? " " + t.gpc : "") }];
    ["necessary"].concat(OPTIONAL).forEach(function (name) {
      if (!offered(name)) { return; }
      sections.push({
        title: t.categories[name][0],
        description: t.categories[name][1],
        linkedCategory: name,
        cookieTable: {
          headers: t.headers,
          body: (cfg.categories[name] || []).map(function (c) {
            return { name: escapeHtml(c.name), provider: escapeHtml(c.provider),
                     purpose: escapeHtml(c.description), lifetime: t.days(c.lifetime_days) };
          })
        }
      });
    });
    return {
      consentModal: { title: t.title, description: t.description, acceptAllBtn: t.acceptAll,
                      acceptNecessaryBtn: t.rejectAll, showPreferencesBtn: t.choose },
      preferencesModal: { title: t.prefsTitle, acceptAllBtn: t.acceptAll,
                          acceptNecessaryBtn: t.rejectAll, savePreferencesBtn: t.save,
                          closeIconLabel: t.close, sections: sections }
    };
  }

  function categories() {
    var result = { necessary: { enabled: true, readOnly: true } };
    OPTIONAL.forEach(function (name) {
      if (!offered(name)) { return; }
      result[name] = { autoClear: { cookies: cfg.categories[name].map(function (c) {
        return { name: cookieMatcher(c.name) };
      }) } };
    });
    return result;
  }

  function randomId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // The anonymous visitor id lives in the consent cookie itself, beside the choice.
  function visitorId() {
    var data = CC.getCookie("data") || {};
    if (data.visitor) { return data.visitor; }
    var id = randomId();
    CC.setCookieData({ value: { visitor: id }, mode: "update" });
    return id;
  }

  function language() {
    return (document.documentElement.lang || "nb").slice(0, 2) === "en" ? "en" : "nb";
  }

  function signal() {
    var stats = CC.acceptedCategory("statistics") ? "granted" : "denied";
    var ads = !gpc && CC.acceptedCategory("marketing") ? "granted" : "denied";
    window.gtag("consent", "update", { analytics_storage: stats, ad_storage: ads,
                                        ad_user_data: ads, ad_personalization: ads });
  }

  function record() {
    var prefs = CC.getUserPreferences();
    var rejected = prefs.rejectedCategories.slice();
    if (gpc && cfg.categories.marketing && rejected.indexOf("marketing") === -1) {
      rejected.push("marketing");
    }
    var body = JSON.stringify({
      visitor_id: visitorId(), policy_version: cfg.revision, language: language(),
      accepted: prefs.acceptedCategories, rejected: rejected, gpc: gpc
    });
    window.personvernBannerLastDecision = fetch(cfg.endpoint, {
      method: "POST", mode: "cors", credentials: "omit", keepalive: true,
      headers: { "Content-Type": "application/json" }, body: body
    }).then(function (response) {
      // The policy changed after this page loaded the banner: the choice was not recorded.
      // Forget it, so that the next page (with the current policy) asks again.
      if (response.status === 409) {
        return response.json().then(function (problem) {
          if (problem.code === "policy_superseded") { CC.reset(true); }
          return response;
        });
      }
      return response;
    }).catch(function () { return null; });
  }

  function decided() { signal(); record(); }

  var translations = {};
  ["nb", "en"].forEach(function (lang) { translations[lang] = translation(lang); });

  CC.run({
    // A new cookie policy version makes the banner ask again.
    revision: cfg.revision,
    cookie: { name: "cc_cookie", expiresAfterDays: cfg.consentDays, sameSite: "Lax" },
    guiOptions: {
      consentModal: { layout: "box", position: "bottom right", equalWeightButtons: true },
      preferencesModal: { layout: "box", equalWeightButtons: true }
    },
    categories: categories(),
    onConsent: signal,
    onFirstConsent: decided,
    onChange: decided,
    language: { default: "nb", autoDetect: "document", translations: translations }
  });
})();
