/** The report screen. */
export default function View() {
  return (
    <section class="empty-state">
      <p>Coming.</p>
    </section>
  );
}
