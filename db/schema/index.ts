export * from './auth';
export * from './project';
export * from './jobs';
export * from './dagger';
export * from './crowd';
