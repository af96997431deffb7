// Groups chats (newest first) by age, in the buckets the sidebar shows.
export const GROUPS = ['Today', 'Yesterday', 'Last 7 days', 'Last 30 days', 'Older'];

const DAY = 24 * 60 * 60 * 1000;

/** Calendar days, not 24-hour spans: a chat from 23:50 yesterday is "Yesterday" at 00:10. */
export function groupFor(createdAt, now = new Date()) {
  const created = new Date(createdAt);
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const time = created.getTime();
  if (Number.isNaN(time) || time >= startOfToday) return 'Today';
  if (time >= startOfToday - DAY) return 'Yesterday';
  if (time >= startOfToday - 7 * DAY) return 'Last 7 days';
  if (time >= startOfToday - 30 * DAY) return 'Last 30 days';
  return 'Older';
}

export function groupChats(chats, now = new Date()) {
  const groups = new Map(GROUPS.map((name) => [name, []]));
  for (const chat of chats) groups.get(groupFor(chat.createdAt, now)).push(chat);
  return [...groups].filter(([, items]) => items.length > 0);
}
