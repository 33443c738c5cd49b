/**
 * Entities shaped after the platform's open API (../shared/docs/product.md), one file each;
 * this module re-exports them so existing imports keep working.
 */
export * from './common';
export * from './merchant';
export * from './plan';
export * from './placements';
export * from './unit';
export * from './creative';
export * from './keywords';
export * from './audience';
export * from './gdBooking';
