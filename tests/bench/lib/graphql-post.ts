export type GraphQLAnswer = {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
};

/** One GraphQL POST, for the checks made before a load run. */
export async function postGraphQL(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as GraphQLAnswer['body'] };
  } catch {
    throw new Error(
      `${url} answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`,
    );
  }
}
