// Starts Swagger UI on our own OpenAPI document. Everything it loads comes
// from this server: validatorUrl is off (it would fetch a badge from
// validator.swagger.io) and queryConfigEnabled stays off, so ?url=… cannot
// point the page at another host.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    queryConfigEnabled: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    defaultModelsExpandDepth: 0,
    displayRequestDuration: true,
    tryItOutEnabled: false
  });
});
