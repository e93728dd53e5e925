import { type ClassType, Field, ObjectType } from 'type-graphql';
import { PageInfo } from './page-info.type';

export interface Page<T> {
  nodes: T[];
  pageInfo: PageInfo;
}

/** Builds the `XConnection { nodes, pageInfo }` type of the public contract for a node type. */
export function Connection<T extends object>(node: ClassType<T>) {
  @ObjectType()
  abstract class ConnectionClass implements Page<T> {
    @Field(() => [node])
    nodes: T[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;
  }
  return ConnectionClass;
}
