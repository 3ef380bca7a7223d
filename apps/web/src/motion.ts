/** Whoever asked their system for less motion: dialogs, menus, messages and charts then appear at once. */
export const REDUCED_MOTION = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
