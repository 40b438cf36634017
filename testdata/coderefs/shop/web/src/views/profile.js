// Renders a user's card.
export function userCard(user) {
  return `<b>${user.nickname}</b>`;
}
