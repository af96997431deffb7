// Suggested prompts on an empty chat: one click sends the prompt.
export function setupGreeting(greeting, onPick) {
  greeting?.querySelectorAll('[data-suggestion]').forEach((button) => {
    button.addEventListener('click', () => onPick(button.dataset.suggestion));
  });
}
