// Server-Sent Events read from a fetch() body. EventSource cannot send a bearer token (nor a
// POST body, which a chat needs), so every stream of the dashboard is a fetch whose body is read
// here: frames split on blank lines (all three line endings), comments skipped, data lines joined.
export async function readEvents(reader, onEvent) {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = { type: 'message', data: [], id: null };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.search(/\r\n|\r|\n/)) >= 0) {
      // A lone \r at the end may be the first half of \r\n: wait for the next chunk.
      if (buffer[end] === '\r' && end === buffer.length - 1) break;
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
      if (line === '') {
        if (event.data.length > 0 || event.id !== null) {
          onEvent({ type: event.type, data: event.data.join('\n'), id: event.id, hasData: event.data.length > 0 });
        }
        event = { type: 'message', data: [], id: null };
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event.type = value;
        else if (field === 'data') event.data.push(value);
        else if (field === 'id') event.id = value;
      }
    }
  }
}

/** The data of an event as JSON, or null when it is not JSON. */
export function json(data) {
  try {
    return JSON.parse(data);
  } catch (e) {
    return null;
  }
}
