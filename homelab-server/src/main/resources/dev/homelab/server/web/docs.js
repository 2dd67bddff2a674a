// /docs: Swagger UI (from its webjar, loaded by docs.html before this module) over this server's
// /openapi.json. "Try it out" sends the bearer credential given with Authorize; a tab that is
// logged in to the dashboard is authorized with its session token already. The credential stays in
// the page's memory (persistAuthorization is off), and the UI reads no configuration from the URL.
const TOKEN = 'homelab.token';
const root = document.getElementById('swagger-ui');

try {
  const response = await fetch('/openapi.json', { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
  const spec = await response.json();
  // The document names the default address; "Try it out" must call the server that served this page.
  spec.servers = [{ url: window.location.origin, description: 'This server' }];
  const ui = window.SwaggerUIBundle({
    spec,
    dom_id: '#swagger-ui',
    deepLinking: true,
    queryConfigEnabled: false,
    validatorUrl: null,
    persistAuthorization: false,
    displayRequestDuration: true,
    onComplete: () => {
      const token = sessionStorage.getItem(TOKEN);
      if (token) ui.preauthorizeApiKey('bearer', token);
    },
  });
} catch (e) {
  const message = document.createElement('p');
  message.className = 'docs-loading';
  message.setAttribute('role', 'alert');
  message.textContent = `The API description could not be loaded: ${e.message}.`;
  root.replaceChildren(message);
}
