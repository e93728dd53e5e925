import { ANONYMOUS, type Principal } from '../../src/auth/principal';

/** Principals as authentication would produce them, for in-process tests. */
export const ADMIN: Principal = Object.freeze({ role: 'admin', subject: 'admin-1', partnerId: null });
export const STAFF: Principal = Object.freeze({ role: 'staff', subject: 'staff-1', partnerId: null });
export const ANALYST: Principal = Object.freeze({ role: 'analyst', subject: 'analyst-1', partnerId: null });
export const customer = (id: number): Principal => Object.freeze({ role: 'customer', subject: String(id), partnerId: null });
export const courier = (partnerId: number): Principal => Object.freeze({ role: 'courier', subject: null, partnerId });
export const processor = (partnerId: number): Principal => Object.freeze({ role: 'payment_processor', subject: null, partnerId });
export const ANONYMOUS_PRINCIPAL: Principal = ANONYMOUS;
