// Sign-in. GET /api/v1/info says whether auth is on (a 404 means a server without the endpoint:
// auth off). With auth on: authorization code + PKCE against the issuer (oidc-client-ts), the
// access token on every API call, renewal before it expires.
//
// Renewal uses the refresh token when the issuer gave one, and otherwise one hidden iframe
// (prompt=none) that lands on silent-callback.html — never on the app itself, which would start
// a sign-in of its own inside each iframe. Without a stored session the app goes to the issuer at
// once: a person with a Keycloak session comes straight back, one without sees the login form.

import type { UserManager as OidcUserManager, User } from 'oidc-client-ts';
import type { ServerInfo } from '../api/types';
import { setTokenSource } from '../api/client';

export interface SessionState {
  authEnabled: boolean;
  user: string | null;
  version: string | null;
  signOut?: () => Promise<void>;
}

/** Sign-in could not finish; the page shows the message and offers {@link retry}. */
export class SignInProblem extends Error {
  constructor(message: string, readonly retry: (() => Promise<void>) | null) {
    super(message);
  }
}

/** The page Keycloak sends the hidden renewal iframe back to, beside index.html. */
export const SILENT_CALLBACK_PAGE = 'silent-callback.html';
/** How long a hidden-iframe renewal may take before the app gives up on it. */
const SILENT_TIMEOUT_SECONDS = 10;

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
  if (window.top !== window.self) {
    // Framed by another page: a sign-in from here could only nest more frames.
    throw new SignInProblem('Athanor does not sign in inside a frame; open it in its own tab.', null);
  }
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  const app = `${location.origin}${location.pathname}`;
  const manager = new UserManager({
    authority: info.auth.issuer!,
    client_id: info.auth.clientId ?? 'athanor-web',
    redirect_uri: app,
    silent_redirect_uri: new URL(SILENT_CALLBACK_PAGE, app).href,
    silentRequestTimeoutInSeconds: SILENT_TIMEOUT_SECONDS,
    post_logout_redirect_uri: app,
    response_type: 'code',
    scope: info.auth.scopes ?? 'openid profile email',
    automaticSilentRenew: true,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
  const signIn = async (): Promise<never> => {
    await manager.signinRedirect({ state: location.hash || '#/' });
    return new Promise<never>(() => undefined); // the page is leaving for the issuer
  };

  let user = await finishRedirect(manager, signIn);
  user ??= await manager.getUser();
  if (user?.expired) user = await renew(manager);
  if (!user) return signIn();

  setTokenSource(tokenSource(manager, signIn));
  const name = (user.profile.preferred_username as string | undefined) ?? user.profile.email ?? user.profile.sub;
  return {
    authEnabled: true,
    user: name ?? null,
    version: info.version ?? null,
    signOut: () => manager.signoutRedirect(),
  };
}

/**
 * Back from the issuer (code or error in the query): finishes the code exchange and restores the
 * deep link the person left from. An error answer (access denied, a misconfigured client) is
 * shown with a way to try again rather than sending the browser straight back into it.
 */
async function finishRedirect(manager: OidcUserManager, signIn: () => Promise<never>): Promise<User | null> {
  const params = new URLSearchParams(location.search);
  if (!params.has('state') || !(params.has('code') || params.has('error'))) return null;
  try {
    const user = await manager.signinRedirectCallback();
    const hash = typeof user.state === 'string' ? user.state : '#/';
    history.replaceState(null, '', `${location.pathname}${hash}`);
    return user;
  } catch (e) {
    history.replaceState(null, '', `${location.pathname}${location.hash}`);
    const detail = params.get('error_description') ?? params.get('error') ?? (e as Error).message;
    throw new SignInProblem(`Sign-in did not finish: ${detail}`, signIn);
  }
}

/** One renewal: the refresh token if there is one, else one hidden iframe. Null when the issuer's session is gone. */
async function renew(manager: OidcUserManager): Promise<User | null> {
  try {
    return await manager.signinSilent();
  } catch {
    return null;
  }
}

/**
 * The access token for each API call. Automatic renewal replaces it before it expires; if that
 * failed (a laptop asleep past the token's life, a network blip) one renewal is tried here, shared
 * by the calls waiting on it, and only when that fails too does the person sign in again.
 */
function tokenSource(manager: OidcUserManager, signIn: () => Promise<never>): () => Promise<string | null> {
  let renewing: Promise<User | null> | null = null;
  return async () => {
    const current = await manager.getUser();
    if (current && !current.expired) return current.access_token;
    renewing ??= renew(manager).finally(() => { renewing = null; });
    const renewed = await renewing;
    return renewed ? renewed.access_token : signIn();
  };
}
