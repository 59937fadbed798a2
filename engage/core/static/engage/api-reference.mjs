// The API reference page: Swagger UI (vendored from swagger-ui-dist by `make assets`)
// draws the OpenAPI document into #api-reference. It is started here, from a file,
// because the site's Content-Security-Policy runs no inline script. "Try it out"
// sends GET requests only, and never asks a validator on another host.
const target = document.getElementById("api-reference");

function start() {
  if (!target || typeof window.SwaggerUIBundle !== "function") return;
  window.SwaggerUIBundle({
    url: target.dataset.schemaUrl,
    domNode: target,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: false,
    validatorUrl: null,
    supportedSubmitMethods: ["get"],
    defaultModelsExpandDepth: 0,
    // Plain examples: the highlighter's colours on its dark background are too faint to read.
    syntaxHighlight: { activated: false },
    docExpansion: "list",
    tryItOutEnabled: false,
    requestInterceptor: (request) => {
      // The signed-in session's cookie, and nothing sent anywhere but this site.
      request.credentials = "same-origin";
      return request;
    },
  });
}

// What Swagger UI draws without, and a keyboard or a screen reader needs: a name for
// each parameter's list of choices, and a way to scroll an example that is too long.
function label(root) {
  for (const select of root.querySelectorAll("tr[data-param-name] select:not([aria-label])")) {
    select.setAttribute("aria-label", select.closest("tr").dataset.paramName);
  }
  for (const example of root.querySelectorAll(".microlight:not([tabindex])")) {
    example.setAttribute("tabindex", "0");
  }
}
if (target) {
  new MutationObserver(() => label(target)).observe(target, { childList: true, subtree: true });
}

// The bundle is a deferred classic script; a module runs after it, but wait for it
// all the same if the order ever changes.
if (typeof window.SwaggerUIBundle === "function") start();
else window.addEventListener("DOMContentLoaded", start, { once: true });
