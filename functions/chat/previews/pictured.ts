/**
 * The class of the element that is the message as the channel shows it, without the page's notification text:
 * what `npm run render-alerts` takes a picture of.
 */
export const PICTURED = 'preview-pictured';
