// Sign-in. GET /api/v1/info says whether auth is on (a 404 means a server without the endpoint:
// auth off). With auth on: authorization code + PKCE against the issuer (oidc-client-ts), the
// access token on every API call, silent renewal with the refresh token.

import type { ServerInfo } from '../api/types';
import { setTokenSource } from '../api/client';

export interface SessionState {
  authEnabled: boolean;
  user: string | null;
  version: string | null;
  signOut?: () => Promise<void>;
}

async function fetchInfo(): Promise<ServerInfo | null> {
  const response = await fetch('/api/v1/info', { headers: { Accept: 'application/json' } });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`GET /api/v1/info answered ${response.status}`);
  return (await response.json()) as ServerInfo;
}

/** Resolves once the app may call the API: auth off, or signed in (it may redirect to the issuer and never resolve). */
export async function startSession(): Promise<SessionState> {
  const info = await fetchInfo();
  if (!info || !info.auth?.enabled) {
    return { authEnabled: false, user: null, version: info?.version ?? null };
  }
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  const redirect = `${location.origin}${location.pathname}`;
  const manager = new UserManager({
    authority: info.auth.issuer!,
    client_id: info.auth.clientId ?? 'athanor-web',
    redirect_uri: redirect,
    post_logout_redirect_uri: redirect,
    response_type: 'code',
    scope: info.auth.scopes ?? 'openid profile email',
    automaticSilentRenew: true,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });

  const params = new URLSearchParams(location.search);
  if (params.has('code') && params.has('state')) {
    // Back from the issuer: finish the code exchange, then restore the deep link we left from.
    const user = await manager.signinRedirectCallback();
    const hash = typeof user.state === 'string' ? user.state : '#/';
    history.replaceState(null, '', `${location.pathname}${hash}`);
  }
  let user = await manager.getUser();
  if (!user || user.expired) {
    try {
      user = await manager.signinSilent();
    } catch {
      user = null;
    }
  }
  if (!user) {
    await manager.signinRedirect({ state: location.hash || '#/' });
    return new Promise(() => undefined); // the page is leaving for the issuer
  }
  setTokenSource(async () => {
    const current = await manager.getUser();
    return current && !current.expired ? current.access_token : null;
  });
  const name = (user.profile.preferred_username as string | undefined) ?? user.profile.email ?? user.profile.sub;
  return {
    authEnabled: true,
    user: name ?? null,
    version: info.version ?? null,
    signOut: () => manager.signoutRedirect(),
  };
}
