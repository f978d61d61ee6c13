/**
 * The drawing behind each icon id a configuration may name (shared/config/icons.ts).
 * Icons are imported one by one so the bundle carries only these drawings.
 */
import {
  AArrowUp,
  ArrowLeft,
  Briefcase,
  Building2,
  Bus,
  Calendar,
  CircleHelp,
  Contrast,
  FileText,
  FolderOpen,
  Globe,
  GraduationCap,
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
  ShoppingBasket,
  TrainFront,
  Users,
  Volume2,
  Wallet,
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
