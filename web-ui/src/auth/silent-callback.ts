// The page Keycloak sends the hidden sign-in iframe back to (silent_redirect_uri). It hands the
// answer — a code or an error such as login_required — to the app in the parent window and does
// nothing else: no session, no API call, no second sign-in. The app itself must never be the
// silent redirect target, or each iframe would start a sign-in of its own inside itself.

import { UserManager } from 'oidc-client-ts';

// signinSilentCallback only posts this URL to the parent; these settings are never used to call
// the issuer, but UserManager requires them.
const here = `${location.origin}${location.pathname}`;
new UserManager({ authority: location.origin, client_id: 'athanor-web', redirect_uri: here, automaticSilentRenew: false })
  .signinSilentCallback()
  .catch((e: unknown) => console.error('silent sign-in callback failed', e));
