/**
 * The drawing behind each icon id a configuration may name (shared/config/icons.ts).
 * Icons are imported one by one so the bundle carries only these drawings.
 */
import {
  AArrowUp,
  ArrowLeft,
  BellOff,
  Briefcase,
  Building2,
  Bus,
  Calendar,
  Check,
  CircleHelp,
  Contrast,
  Eraser,
  ExternalLink,
  FileText,
  FolderOpen,
  Globe,
  GraduationCap,
  Hand,
  HeartPulse,
  House,
  HouseHeart,
  IdCard,
  Landmark,
  LogOut,
  Mail,
  Phone,
  PiggyBank,
  ReceiptEuro,
  Send,
  ShoppingBasket,
  TrainFront,
  Undo2,
  Users,
  Volume2,
  Wallet,
  X,
  type LucideIcon,
} from 'lucide-react';
import type { IconId } from '../../shared/config/icons';

export const SERVICE_ICONS: Readonly<Record<IconId, LucideIcon>> = {
  bank: Landmark,
  building: Building2,
  bus: Bus,
  calendar: Calendar,
  document: FileText,
  family: HouseHeart,
  globe: Globe,
  health: HeartPulse,
  house: House,
  'id-card': IdCard,
  job: Briefcase,
  learning: GraduationCap,
  mail: Mail,
  pension: PiggyBank,
  people: Users,
  phone: Phone,
  shopping: ShoppingBasket,
  tax: ReceiptEuro,
  train: TrainFront,
  wallet: Wallet,
};

/** The toolbar's pictograms: the same on every screen, so visitors learn them once. */
export const TOOLBAR_ICONS = {
  home: House,
  back: ArrowLeft,
  help: CircleHelp,
  endSession: LogOut,
  files: FolderOpen,
  textSize: AArrowUp,
  contrast: Contrast,
  readAloud: Volume2,
} as const satisfies Record<string, LucideIcon>;

/**
 * The pictograms beside the words of the dialogs', notices' and banners' buttons
 * (components/ActionButton.tsx). One per action, the same wherever the action is offered:
 * "close" and "cancel, send nothing" are the same act for the visitor (leave, nothing
 * happens), so they share one; opening the help call again wears the toolbar's Help.
 */
export const ACTION_ICONS = {
  /** "Yes, erase and finish": the drawing of the "Erasing…" screen that follows. */
  eraseAndFinish: Eraser,
  /** "No, continue": back to what the visitor was doing. */
  continue: Undo2,
  /** "I'm still here": a raised hand. */
  stillHere: Hand,
  /** "Cancel my call": the ringing bell of the call, silenced. */
  cancelCall: BellOff,
  close: X,
  ok: Check,
  send: Send,
  openInNewTab: ExternalLink,
  seeCall: TOOLBAR_ICONS.help,
  listen: TOOLBAR_ICONS.readAloud,
} as const satisfies Record<string, LucideIcon>;

export type ActionId = keyof typeof ACTION_ICONS;

/** Pictograms that point along the line (an arrow, a paper plane): turned round in right-to-left languages. */
export const DIRECTIONAL_ACTIONS: ReadonlySet<ActionId> = new Set<ActionId>(['continue', 'send', 'openInNewTab']);
