/** Which callback URLs we accept: absolute http(s) only, no credentials in the URL. */
import { TokenOpsError } from '../../../shared/errors';

export function parseCallbackUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TokenOpsError(
      'input_invalid',
      `Callback URL "${url}" is not an absolute URL; give one like https://agent.example.com/webhooks/tokenops.`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TokenOpsError(
      'input_invalid',
      `Callback URL "${url}" uses ${parsed.protocol}; only http: and https: callbacks can be delivered.`,
    );
  }
  // user:pass@ would be sent as Basic auth and shown in every listing; the whsec_ secret authenticates instead.
  if (parsed.username || parsed.password) {
    throw new TokenOpsError(
      'input_invalid',
      `Callback URL for ${parsed.host} contains a user name or password; remove them — deliveries are authenticated by the webhook signature.`,
    );
  }
  return parsed;
}
