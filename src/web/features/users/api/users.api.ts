import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateUserBody, UpdateUserBody, User } from '../../../../shared/schemas/user.schema.ts';
import { api } from '../../../lib/api-client.ts';

export const userKeys = { all: ['users'] as const };

export function useUsers() {
  return useQuery({
    queryKey: userKeys.all,
    queryFn: ({ signal }) => api.get<{ items: User[]; total: number }>('/users', undefined, signal),
  });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserBody) => api.post<User>('/users', body),
    onSettled: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateUserBody }) => api.patch<User>(`/users/${encodeURIComponent(id)}`, body),
    onSettled: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}
