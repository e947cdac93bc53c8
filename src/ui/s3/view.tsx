/** Placeholder for the S3 screens (owned by H7, who replaces this file). */
export default function S3View() {
  return (
    <section class="empty-state">
      <h2>S3</h2>
      <p>S3 screens coming.</p>
    </section>
  );
}
