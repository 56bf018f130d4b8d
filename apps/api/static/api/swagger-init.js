// Starts Swagger UI from the settings in the page (no inline script, so a strict CSP works).
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset];
  config.layout = "StandaloneLayout";
  config.validatorUrl = null;
  window.ui = SwaggerUIBundle(config);
})();
